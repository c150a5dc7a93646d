/**
 * A loopback HTTP server for API simulators: a small route table, middlewares (auth), deterministic fault
 * injection (latency, 429/503 with Retry-After, 500, connection resets, slow or hanging responses, session
 * expiry, targeted rules) and request statistics. Simulators build their API on top of it; tests and the
 * benchmark talk to it over real HTTP exactly as the connector talks to a real Prism or CloudTower.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashUnit } from './rng';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
  /** Named groups of the matched route's RegExp. */
  params: Record<string, string>;
  /** 0-based index of this request since start (or the last resetStats). */
  index: number;
}

export interface SimResponse {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Raw text body (used instead of `body`), e.g. Prism's HTML 401 page. */
  text?: string;
  /**
   * Body bytes as sent (used instead of `text` and `body`): a simulator that serves the same large page
   * many times caches it encoded, so it is not UTF-8-encoded again per request. Content type: from
   * `headers`, else application/json.
   */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;
export type Middleware = (req: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

export type TransientKind = '429' | '503' | '500' | 'reset';

/** A targeted fault: when `when(req)` holds, respond with this instead (at most `times` times). */
export interface FaultRule {
  when(req: SimRequest): boolean;
  respond: SimResponse | 'reset' | 'hang';
  /** How many times it fires (default: every time — a permanent fault). */
  times?: number;
}

export interface FaultPlan {
  /** Added before every response, failures included. */
  latencyMs?: number;
  /** Fraction of requests (0..1) failed with one of `transientKinds`; drawn from the seed and request index. */
  transientRate?: number;
  transientKinds?: TransientKind[];
  /** Retry-After seconds on injected 429/503 (default 0). */
  retryAfterSeconds?: number;
  /** Fraction of requests answered only after `slowMs` (past a client's timeout). */
  slowRate?: number;
  slowMs?: number;
  /** When the request count reaches this number, every registered session-expiry handler runs once. */
  expireSessionsAfter?: number;
  rules?: FaultRule[];
  /** Requests never failed by `transientRate`/`slowRate` (e.g. the login call). */
  exempt?(req: SimRequest): boolean;
}

export interface SimStats {
  requests: number;
  /** `METHOD <route>` → count, where <route> is the exact path or the RegExp source. */
  byRoute: Record<string, number>;
  /** Injected faults by kind: '429', '503', '500', 'reset', 'slow', 'rule', 'hang', 'expiry'. */
  injected: Record<string, number>;
  /** `METHOD path` of requests that matched no route (answered 404). */
  unexpected: string[];
}

interface Route {
  method: string;
  match: string | RegExp;
  key: string;
  handler: RouteHandler;
}

export interface SimServerOptions {
  name: string;
  seed?: number;
  faults?: FaultPlan;
}

const HANG_MS = 5 * 60_000;

/**
 * Requests an in-process simulator had no route for, `<simulator>: METHOD path`, until taken: a test hook
 * fails the test that caused them (test/helpers/strict-simulators), even when the simulator has stopped.
 */
const unexpectedRequests: string[] = [];

/** Returns and forgets every unexpected request not yet taken. */
export function takeAllUnexpected(): string[] {
  return unexpectedRequests.splice(0);
}

/** The simulator server. Routes are matched in registration order. */
export class SimServer {
  readonly name: string;
  private readonly seed: number;
  private faults: FaultPlan;
  private readonly routes: Route[] = [];
  private readonly middlewares: Middleware[] = [];
  private readonly expiryHandlers: Array<() => void> = [];
  private readonly ruleUses = new Map<FaultRule, number>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private server: http.Server | null = null;
  private expiryFired = false;
  stats: SimStats = emptyStats();

  constructor(options: SimServerOptions) {
    this.name = options.name;
    this.seed = options.seed ?? 1;
    this.faults = options.faults ?? {};
  }

  /** Adds a middleware run before routing; returning a response short-circuits the route. */
  use(mw: Middleware): this {
    this.middlewares.push(mw);
    return this;
  }

  /** Registers a route: an exact path or a RegExp over the path (named groups become params). */
  route(method: string, match: string | RegExp, handler: RouteHandler): this {
    const key = `${method.toUpperCase()} ${typeof match === 'string' ? match : match.source}`;
    this.routes.push({ method: method.toUpperCase(), match, key, handler });
    return this;
  }

  /** Registers a handler run once when `faults.expireSessionsAfter` is reached. */
  onSessionExpiry(fn: () => void): this {
    this.expiryHandlers.push(fn);
    return this;
  }

  /** Replaces the fault plan (takes effect for the next request). */
  setFaults(plan: FaultPlan): void {
    this.faults = plan;
    this.ruleUses.clear();
    this.expiryFired = false;
  }

  /** Zeroes the statistics and the request index. */
  resetStats(): void {
    this.stats = emptyStats();
    this.expiryFired = false;
  }

  /** Starts listening on 127.0.0.1 and returns the base URL. */
  async start(port = 0): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `simulator ${this.name} failed: ${(err as Error).message}` }));
        }
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this.baseUrl;
  }

  /** Returns and forgets this simulator's untaken unexpected requests (a test that probes on purpose). */
  takeUnexpected(): string[] {
    const mine = `${this.name}: `;
    const out = unexpectedRequests.filter((r) => r.startsWith(mine));
    const rest = unexpectedRequests.filter((r) => !r.startsWith(mine));
    unexpectedRequests.splice(0, unexpectedRequests.length, ...rest);
    return out.map((r) => r.slice(mine.length));
  }

  /** `http://127.0.0.1:<port>` once started. */
  get baseUrl(): string {
    if (!this.server) throw new Error(`simulator ${this.name} is not started`);
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Stops listening and drops every connection (hanging responses included). */
  async stop(): Promise<void> {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    }
    const simReq: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      rawBody,
      params: {},
      index: this.stats.requests++,
    };

    const plan = this.faults;
    if (
      plan.expireSessionsAfter !== undefined &&
      !this.expiryFired &&
      simReq.index >= plan.expireSessionsAfter
    ) {
      this.expiryFired = true;
      this.count('expiry');
      for (const fn of this.expiryHandlers) fn();
    }

    const fault = this.pickFault(simReq, plan);
    const delay = (plan.latencyMs ?? 0) + (fault === 'slow' ? (plan.slowMs ?? 0) : 0);
    if (delay > 0) await this.sleep(delay);
    if (!this.server) return;

    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') {
      await this.sleep(HANG_MS);
      req.socket.destroy();
      return;
    }
    let response: SimResponse | undefined;
    if (fault && typeof fault === 'object') response = fault;
    else if (fault === '429' || fault === '503') {
      response = {
        status: Number(fault),
        headers: { 'retry-after': String(plan.retryAfterSeconds ?? 0) },
        body: { message: fault === '429' ? 'Too many requests' : 'Service unavailable' },
      };
    } else if (fault === '500') response = { status: 500, body: { message: 'Internal server error' } };

    if (!response) {
      const route = this.routes.find((r) => r.method === simReq.method && matches(r.match, simReq));
      for (const mw of this.middlewares) {
        if (response) break;
        response = await mw(simReq);
      }
      if (!response) {
        if (route) {
          this.stats.byRoute[route.key] = (this.stats.byRoute[route.key] ?? 0) + 1;
          response = await route.handler(simReq);
        } else {
          this.stats.unexpected.push(`${simReq.method} ${simReq.path}`);
          unexpectedRequests.push(`${this.name}: ${simReq.method} ${simReq.path}`);
          response = { status: 404, body: { message: `no route for ${simReq.method} ${simReq.path}` } };
        }
      }
    }
    write(res, response);
  }

  /** Decides whether this request gets a fault, deterministically from the seed and request index. */
  private pickFault(req: SimRequest, plan: FaultPlan): SimResponse | TransientKind | 'slow' | 'hang' | null {
    for (const rule of plan.rules ?? []) {
      const used = this.ruleUses.get(rule) ?? 0;
      if (used >= (rule.times ?? Number.POSITIVE_INFINITY) || !rule.when(req)) continue;
      this.ruleUses.set(rule, used + 1);
      if (rule.respond === 'reset' || rule.respond === 'hang') {
        this.count(rule.respond === 'hang' ? 'hang' : 'reset');
        return rule.respond;
      }
      this.count('rule');
      return rule.respond;
    }
    if (plan.exempt?.(req)) return null;
    if (plan.transientRate && hashUnit(this.seed, req.index, 1) < plan.transientRate) {
      const kinds = plan.transientKinds ?? ['429', '503', '500', 'reset'];
      const kind = kinds[Math.floor(hashUnit(this.seed, req.index, 2) * kinds.length)] ?? '503';
      this.count(kind);
      return kind;
    }
    if (plan.slowRate && hashUnit(this.seed, req.index, 3) < plan.slowRate) {
      this.count('slow');
      return 'slow';
    }
    return null;
  }

  private count(kind: string): void {
    this.stats.injected[kind] = (this.stats.injected[kind] ?? 0) + 1;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pendingTimers.delete(t);
        resolve();
      }, ms);
      this.pendingTimers.add(t);
    });
  }
}

function emptyStats(): SimStats {
  return { requests: 0, byRoute: {}, injected: {}, unexpected: [] };
}

function matches(match: string | RegExp, req: SimRequest): boolean {
  if (typeof match === 'string') return match === req.path;
  const m = match.exec(req.path);
  if (!m) return false;
  req.params = { ...(m.groups ?? {}) };
  return true;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: http.ServerResponse, response: SimResponse): void {
  if (res.destroyed) return;
  if (response.bytes !== undefined) {
    res.writeHead(response.status, {
      'content-type': 'application/json',
      ...response.headers,
      'content-length': String(response.bytes.length),
    });
    res.end(response.bytes);
    return;
  }
  const isText = response.text !== undefined;
  const payload = isText
    ? (response.text as string)
    : response.body === undefined
      ? ''
      : JSON.stringify(response.body);
  const headers: Record<string, string> = {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json',
    ...response.headers,
  };
  res.writeHead(response.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
  res.end(payload);
}
