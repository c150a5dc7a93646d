/**
 * A simulated CMP API on loopback: the three calls connector-utils makes through `context.api` —
 * `POST /logs`, `POST /tasks/{id}/update` and `PATCH /accounts/{id}/resource` — recorded so tests and the
 * `npm start` summary can assert on them. Requests must carry `Authorization: Bearer <apiKey>` when the
 * simulator has a key (the handlers get it from env CMP_API_KEY), else they are answered 401.
 */
import { randomBytes } from 'node:crypto';
import { type SimRequest, type SimResponse, SimServer } from '../common';

/** One log line the handlers sent (flexer's `POST /logs` body is a list of these). */
export interface CmpLogEntry {
  message: string;
  severity: string;
  timestamp?: string;
  resource_id?: string;
  [key: string]: unknown;
}

/** One `POST /tasks/{id}/update` call. */
export interface CmpTaskUpdate {
  taskId: string;
  percentage: number;
  body: unknown;
  at: number;
}

/** One `PATCH /accounts/{id}/resource` call. */
export interface CmpAccountUpdate {
  accountId: string;
  body: unknown;
  at: number;
}

/** Every request as received (method, path, raw body), the rejected ones included. */
export interface CmpRawCall {
  method: string;
  path: string;
  rawBody: string;
  authorized: boolean;
}

/** Options of startCmpSimulator. */
export interface CmpSimulatorOptions {
  /** Fixed port (default: an ephemeral one). */
  port?: number;
  /** Bearer key the simulator demands; default a random one, `null` for no authentication. */
  apiKey?: string | null;
  /** Status answered to every recorded call (default 200), to test the handlers' reaction to a failing CMP. */
  status?: number;
}

/** A running CMP API simulator. */
export interface CmpSimulator {
  baseUrl: string;
  /** The key to put into env CMP_API_KEY (null when authentication is off). */
  apiKey: string | null;
  readonly logs: CmpLogEntry[];
  readonly taskUpdates: CmpTaskUpdate[];
  readonly accountUpdates: CmpAccountUpdate[];
  readonly rawCalls: CmpRawCall[];
  /** The percentages reported for one task, in arrival order. */
  progressOf(taskId: string): number[];
  /** The account bodies PATCHed for one account, in arrival order. */
  accountBodiesOf(accountId: string): unknown[];
  /** Changes the status answered from now on (e.g. 500 to simulate an unhealthy CMP). */
  setStatus(status: number): void;
  /** Forgets every recorded call. */
  reset(): void;
  stop(): Promise<void>;
}

/** True when the body is a log entry flexer would accept. */
function isLogEntry(value: unknown): value is CmpLogEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && typeof v.severity === 'string';
}

/** Starts the simulator on 127.0.0.1. */
export async function startCmpSimulator(options: CmpSimulatorOptions = {}): Promise<CmpSimulator> {
  const apiKey = options.apiKey === undefined ? `cmp-sim-${randomBytes(12).toString('hex')}` : options.apiKey;
  let status = options.status ?? 200;
  const logs: CmpLogEntry[] = [];
  const taskUpdates: CmpTaskUpdate[] = [];
  const accountUpdates: CmpAccountUpdate[] = [];
  const rawCalls: CmpRawCall[] = [];

  const server = new SimServer({ name: 'cmp' });
  server.use((req: SimRequest): SimResponse | undefined => {
    const authorized = apiKey === null || req.headers.authorization === `Bearer ${apiKey}`;
    rawCalls.push({ method: req.method, path: req.path, rawBody: req.rawBody, authorized });
    if (!authorized) return { status: 401, body: { message: 'missing or wrong API key' } };
    return undefined;
  });

  server.route('POST', '/logs', (req) => {
    // flexer posts a list of entries; accept a single object too so a mistake shows up as a bad entry.
    const entries = Array.isArray(req.body) ? req.body : [req.body];
    const bad = entries.filter((e) => !isLogEntry(e));
    if (bad.length > 0) return { status: 400, body: { message: 'log entries need message and severity' } };
    if (status === 200) logs.push(...(entries as CmpLogEntry[]));
    return { status, body: {} };
  });

  server.route('POST', /^\/tasks\/(?<taskId>[^/]+)\/update$/, (req) => {
    const body = req.body as { percentage?: unknown } | undefined;
    const percentage = body?.percentage;
    if (typeof percentage !== 'number' || !Number.isFinite(percentage)) {
      return { status: 400, body: { message: 'percentage must be a number' } };
    }
    const taskId = decodeURIComponent(req.params.taskId ?? '');
    if (status === 200) taskUpdates.push({ taskId, percentage, body: req.body, at: Date.now() });
    return { status, body: {} };
  });

  server.route('PATCH', /^\/accounts\/(?<accountId>[^/]+)\/resource$/, (req) => {
    if (typeof req.body !== 'object' || req.body === null) {
      return { status: 400, body: { message: 'account update needs a JSON object' } };
    }
    const accountId = decodeURIComponent(req.params.accountId ?? '');
    if (status === 200) accountUpdates.push({ accountId, body: req.body, at: Date.now() });
    return { status, body: {} };
  });

  const baseUrl = await server.start(options.port ?? 0);
  return {
    baseUrl,
    apiKey,
    logs,
    taskUpdates,
    accountUpdates,
    rawCalls,
    progressOf: (taskId) => taskUpdates.filter((u) => u.taskId === taskId).map((u) => u.percentage),
    accountBodiesOf: (accountId) =>
      accountUpdates.filter((u) => u.accountId === accountId).map((u) => u.body),
    setStatus: (next) => {
      status = next;
    },
    reset: () => {
      logs.length = 0;
      taskUpdates.length = 0;
      accountUpdates.length = 0;
      rawCalls.length = 0;
    },
    stop: () => server.stop(),
  };
}
