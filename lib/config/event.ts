/**
 * The CMP scheduler's event, validated into a typed shape (docs/architecture.md "Event and context contract").
 * Validation happens once, at the top of every handler, so nothing further down sees an untyped event.
 */

import { PreciseTime } from '../connector-utils/time/precise';
import { ValidationError } from '../errors';
import { PROVIDER_NAMES, type ProviderName } from '../providers/provider';
import { describeValue, FieldReader } from './fields';

/** The resource a metrics/spend poll is about. */
export interface EventResource {
  /** The CMP's id of the resource (a UUID). */
  id: string | undefined;
  /** The provider's native id. */
  nativeId: string;
  /** nflex resource type, e.g. `server`, `compute_pool`. */
  type: string | undefined;
  pollInterval: number | undefined;
}

/** A validated event. `credentials` stays raw here: lib/config/credentials resolves it (maybe via SSM). */
export interface ConnectorEvent {
  provider: ProviderName;
  accountId: string | undefined;
  customerId: string | undefined;
  userId: string | undefined;
  /** The raw `credentials` value (an object), or undefined when the event has none. */
  credentials: Record<string, unknown> | undefined;
  resource: EventResource | undefined;
  /** Seconds; top-level `poll_interval`. */
  pollInterval: number | undefined;
  /** The `last_update` string exactly as sent (validated), or undefined on a first poll. */
  lastUpdate: string | undefined;
  taskId: string | undefined;
  /** Inline rate card (getSpend), unvalidated: lib/spend validates it. */
  rateCard: unknown;
}

// A week: anything longer is not a poll interval but a mistake.
const MAX_INTERVAL_S = 7 * 24 * 3600;
// setupTimeInterval's default format: a fraction of 1–6 digits and a literal Z.
const LAST_UPDATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/;

/** Reads an id-like field: a string, or (leniently) a finite number rendered as a string. */
function optId(r: FieldReader, key: string): string | undefined {
  const v = r.value[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return r.optString(key);
}

// get_metrics.json's and get_status.json's pattern for resource_id (unanchored, lower-case hex), applied as
// the schemas do.
const RESOURCE_UUID_RE = /[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}/;

/**
 * `resource.id` checked against the result schemas' resource_id pattern (a result carries it): a
 * ValidationError naming the field when it does not match, or when it is `required` and absent.
 */
export function checkResourceId(id: string | undefined, required: boolean): string | undefined {
  if ((id === undefined && required) || (id !== undefined && !RESOURCE_UUID_RE.test(id)))
    throw new ValidationError('resource.id', 'the CMP resource UUID', { got: describeValue(id) });
  return id;
}

/** Validates the parts of an event every handler shares. Throws ValidationError naming the field. */
export function parseEvent(raw: unknown): ConnectorEvent {
  const r = FieldReader.of(raw, '');
  const providerValue = r.value.provider;
  if (typeof providerValue !== 'string' || !PROVIDER_NAMES.includes(providerValue as ProviderName)) {
    throw new ValidationError('provider', 'one of "nutanix", "cloudtower"', {
      got: providerValue === undefined ? 'nothing' : describeValue(providerValue),
    });
  }
  const provider = providerValue as ProviderName;

  let credentials: Record<string, unknown> | undefined;
  if (r.value.credentials !== undefined)
    credentials = FieldReader.of(r.value.credentials, 'credentials', { opaque: true }).value;

  let resource: EventResource | undefined;
  const res = r.optObject('resource');
  if (res) {
    resource = {
      id: optId(res, 'id'),
      nativeId: res.string('native_id'),
      type: res.optString('type'),
      pollInterval: res.optPositive('poll_interval', MAX_INTERVAL_S),
    };
  }

  const lastUpdate = r.optString('last_update');
  if (lastUpdate !== undefined) {
    if (!LAST_UPDATE_RE.test(lastUpdate) || !PreciseTime.tryParseIso(lastUpdate)) {
      throw new ValidationError('last_update', 'a UTC time like 2026-11-27T10:00:00.000000Z', {
        got: describeValue(lastUpdate),
      });
    }
  }

  return {
    provider,
    accountId: optId(r, 'account_id'),
    customerId: optId(r, 'customer_id'),
    userId: optId(r, 'user_id'),
    credentials,
    resource,
    pollInterval: r.optPositive('poll_interval', MAX_INTERVAL_S),
    lastUpdate,
    taskId: optId(r, 'task_id'),
    rateCard: r.value.rate_card,
  };
}
