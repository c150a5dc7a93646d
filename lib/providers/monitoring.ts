/**
 * Provider-neutral alert and health records: what a provider's alert and health readers return and what
 * lib/monitoring turns into getLogs lines and getStatus levels. Providers normalise severities, render
 * alert templates and name sources here; they never build nflex JSON.
 */

/** Alert severities after normalisation (Prism as is; CloudTower NOTICE → WARNING). */
export type AlertSeverity = 'CRITICAL' | 'WARNING' | 'INFO';

/** What an alert can be sourced on for getStatus and per-resource getLogs. */
export type StatusEntityKind = 'cluster' | 'host' | 'vm';

/** The entity an alert's line names: ` (<kind> <name>)`. */
export interface AlertSource {
  kind: StatusEntityKind | 'disk';
  id: string;
  name: string;
}

/** One alert as the upstream reports it now. Times are epoch microseconds (UTC). */
export interface AlertRecord {
  id: string;
  severity: AlertSeverity;
  /** The upstream's severity when it was none of the known values (then `severity` is INFO). */
  unknownSeverity?: string;
  /** The alert text with its parameters filled in. */
  message: string;
  source: AlertSource | null;
  /** The entities whose status this alert counts for (docs/functions.md "getLogs": sourced on). */
  sourcedOn: { kind: StatusEntityKind; id: string }[];
  /** Host named as `source_host` (source is a host, a disk on a host or a VM on a host). */
  hostName: string | null;
  clusterName: string | null;
  createdMicros: number;
  /** When it was resolved; null while open (acknowledged alerts are still open). */
  resolvedMicros: number | null;
}

/** The entity a per-resource call is about: `server` is a VM or a host, `cluster` a compute pool. */
export interface EntityScope {
  kind: 'server' | 'cluster';
  id: string;
}

/** Which alerts to read. Providers may return more (the caller filters exactly), never fewer. */
export interface AlertQuery {
  /**
   * Changes (raised or resolved) after this instant, in epoch µs; null = the alerts open at `until` and
   * created at or before it.
   */
  after: number | null;
  /** Upper end of the window (epoch µs). */
  until: number;
  scope?: EntityScope;
  /** Resolve names for log lines (VM → host); getStatus needs only `sourcedOn` and skips those reads. */
  names: boolean;
}

/** One structural cause of a level. `group` orders the reason: cluster, host, disk (then alerts). */
export interface HealthCause {
  level: 1 | 2;
  group: 'cluster' | 'host' | 'disk';
  text: string;
}

/** A cluster, host or VM with its structural causes (alerts come separately). */
export interface HealthEntity {
  kind: StatusEntityKind;
  id: string;
  name: string;
  causes: HealthCause[];
  /** The cluster it belongs to (a cluster: itself), for credentials.clusters; null when the API names none. */
  clusterId: string | null;
}

/** Template placeholders: `{name}`. */
const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Fills `{name}` placeholders: a parameter present (even empty) gives its text, a placeholder with no
 * parameter at all becomes its bare name, so no braces are left.
 */
export function renderTemplate(text: string, params: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => params.get(name) ?? name);
}

/** A parameter value as text: strings as is, integers with their exact digits, booleans as true/false. */
export function paramText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/** Normalises Prism spellings (`CRITICAL`, `critical`, `kCritical`) onto the three severities. */
export function prismSeverity(raw: unknown): { severity: AlertSeverity; unknown?: string } {
  const text = typeof raw === 'string' ? raw : String(raw);
  const s = text.replace(/^k(?=[A-Z])/, '').toUpperCase();
  if (s === 'CRITICAL' || s === 'WARNING' || s === 'INFO') return { severity: s };
  return { severity: 'INFO', unknown: text };
}

/** Epoch microseconds of an ISO 8601 time with up to six fraction digits (null when absent/invalid). */
export function isoMicros(text: unknown): number | null {
  if (typeof text !== 'string' || text === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const [, base, frac = '', zone = 'Z'] = m;
  const ms = Date.parse(`${base}${zone === 'Z' ? 'Z' : zone}`);
  if (!Number.isFinite(ms)) return null;
  return ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/** Whether the alert counts for the scoped entity (a `server` scope matches a VM or a host). */
export function inScope(alert: AlertRecord, scope: EntityScope | undefined): boolean {
  if (!scope) return true;
  return alert.sourcedOn.some(
    (e) => e.id === scope.id && (scope.kind === 'cluster' ? e.kind === 'cluster' : e.kind !== 'cluster'),
  );
}

/** The alert is open at `t`: created at or before it and not resolved by then. */
export function openAt(alert: AlertRecord, t: number): boolean {
  return alert.createdMicros <= t && (alert.resolvedMicros === null || alert.resolvedMicros > t);
}

/** Whether `t` lies in the window (after, until]. */
export function inWindow(t: number | null, after: number, until: number): t is number {
  return t !== null && t > after && t <= until;
}

/** Whether the alert gives a line (or a status cause) for the query: in scope and in its window. */
export function relevant(alert: AlertRecord, query: AlertQuery): boolean {
  if (!inScope(alert, query.scope)) return false;
  if (query.after === null) return openAt(alert, query.until);
  return (
    inWindow(alert.createdMicros, query.after, query.until) ||
    inWindow(alert.resolvedMicros, query.after, query.until)
  );
}
