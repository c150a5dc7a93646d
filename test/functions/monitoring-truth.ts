/**
 * The getLogs oracle: the lines a poll must return, computed from a simulator's alert ground truth with
 * the contract's rules (docs/functions.md "getLogs": message, source, `[alert <id>]`, severity,
 * six-digit times, window semantics), independently of lib/monitoring.
 */
import type { Row } from '../simulators/cloudtower';
import { renderAlertText, type SimAlert } from '../simulators/prism/alerts';
import type { PrismWorld } from '../simulators/prism/model';

/** One alert as the oracle sees it. */
export interface TruthAlert {
  id: string;
  severity: 'CRITICAL' | 'WARNING' | 'INFO';
  text: string;
  source: { kind: string; name: string } | null;
  sourceHost: string | null;
  sourcedOn: { kind: string; id: string }[];
  created: number;
  resolved: number | null;
}

export interface ExpectedLine {
  message: string;
  severity: string;
  time: string;
  service: string;
  source_host?: string;
}

/** Six fraction digits + Z. */
export function micros(t: number): string {
  const s = new Date(Math.floor(t / 1000)).toISOString().slice(0, 19);
  return `${s}.${String(((t % 1e6) + 1e6) % 1e6).padStart(6, '0')}Z`;
}

/** Prism alerts from the simulator's book and world. */
export function prismTruth(alerts: SimAlert[], world: PrismWorld): TruthAlert[] {
  const hostName = (id: string | null) => world.hosts.find((h) => h.extId === id)?.name ?? null;
  const clusterName = (id: string) => world.clusters.find((c) => c.extId === id)?.name ?? null;
  return alerts.map((a) => {
    const kind = a.source.type === 'node' ? 'host' : a.source.type;
    const host =
      kind === 'host'
        ? a.source.name
        : kind === 'vm'
          ? hostName(world.vms.find((v) => v.extId === a.source.id)?.hostId ?? null)
          : null;
    return {
      id: a.id,
      severity: a.severity,
      text: renderAlertText(a),
      source: { kind, name: a.source.name },
      sourceHost: host ?? clusterName(a.clusterId),
      sourcedOn: [{ kind, id: a.source.id }],
      created: a.createdMicros,
      resolved: a.resolvedMicros,
    };
  });
}

/** CloudTower alerts from the simulator's rows. */
export function towerTruth(rows: Row[], vms: Row[]): TruthAlert[] {
  const sev: Record<string, TruthAlert['severity']> = {
    CRITICAL: 'CRITICAL',
    NOTICE: 'WARNING',
    INFO: 'INFO',
  };
  return rows.map((a) => {
    const list = (a.vms as Row[]) ?? [];
    const host = a.host as Row | null;
    const cluster = a.cluster as Row | null;
    const disk = a.disk as Row | null;
    const src = disk
      ? { kind: 'disk', name: disk.name as string }
      : list[0]
        ? { kind: 'vm', name: list[0].name as string }
        : host
          ? { kind: 'host', name: host.name as string }
          : cluster
            ? { kind: 'cluster', name: cluster.name as string }
            : null;
    const vmHost =
      !host && list[0] ? ((vms.find((v) => v.id === list[0]!.id)?.host as Row | null)?.name as string) : null;
    return {
      id: a.id as string,
      severity: sev[a.severity as string] ?? 'INFO',
      text: a.message as string,
      source: src,
      sourceHost: (host?.name as string) ?? vmHost ?? (cluster?.name as string) ?? null,
      sourcedOn:
        list.length > 0
          ? list.map((v) => ({ kind: 'vm', id: v.id as string }))
          : host
            ? [{ kind: 'host', id: host.id as string }]
            : cluster
              ? [{ kind: 'cluster', id: cluster.id as string }]
              : [],
      created: Date.parse(a.local_create_time as string) * 1000,
      resolved: a.ended ? Date.parse(a.local_end_time as string) * 1000 : null,
    };
  });
}

/** The lines of a poll over (after, until] (after null: open at until), optionally for one entity. */
export function expectedLines(
  alerts: TruthAlert[],
  service: string,
  after: number | null,
  until: number,
  scope?: { kind: 'server' | 'cluster'; id: string },
): ExpectedLine[] {
  const out: { line: ExpectedLine; at: number; order: number; id: string }[] = [];
  const line = (a: TruthAlert, resolved: boolean, at: number) => {
    const source = a.source ? ` (${a.source.kind} ${a.source.name})` : '';
    out.push({
      line: {
        message: `${resolved ? 'Resolved: ' : ''}${a.text}${source} [alert ${a.id}]`,
        severity: resolved ? 'INFO' : a.severity,
        time: micros(at),
        service,
        ...(a.sourceHost ? { source_host: a.sourceHost } : {}),
      },
      at,
      order: resolved ? 1 : 0,
      id: a.id,
    });
  };
  for (const a of alerts) {
    if (
      scope &&
      !a.sourcedOn.some((e) => e.id === scope.id && (scope.kind === 'cluster') === (e.kind === 'cluster'))
    )
      continue;
    if (after === null) {
      if (a.created <= until && (a.resolved === null || a.resolved > until)) line(a, false, a.created);
      continue;
    }
    if (a.created > after && a.created <= until) line(a, false, a.created);
    if (a.resolved !== null && a.resolved > after && a.resolved <= until) line(a, true, a.resolved);
  }
  out.sort((x, y) => x.at - y.at || x.order - y.order || (x.id < y.id ? -1 : 1));
  return out.map((o) => o.line);
}
