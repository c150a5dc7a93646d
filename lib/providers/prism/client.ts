/**
 * The Prism transport: one lib/http client per upstream, Basic auth exchanged for the PC session cookie
 * (re-login once on 401, coalesced by lib/http), a per-upstream concurrency limit shared by every
 * collector, and API detection: v4 via the version routes, else v3 on a Prism Central, else Prism Element
 * v2.0 on a lone PE.
 */
import { AuthenticationError, UpstreamError } from '../../errors';
import {
  type Deadline,
  HttpClient,
  HttpStatusError,
  RequestLimiter,
  type RequestOptions,
  type RetryPolicy,
} from '../../http';
import type { Redactor } from '../../http/redact';
import type { PrismCredentials, ProviderOptions } from '../provider';
import type { Session } from '../sessions';
import { str } from './read';

/** The session cookie Prism Central sets. */
export const SESSION_COOKIE = 'NTNX_IAM_SESSION';
/** The login call prism-go-client uses: any authenticated GET that sets the session cookie. */
export const LOGIN_PATH = '/api/nutanix/v3/users/me';
/** v4 namespaces the collector needs; a v4 version is usable only if every one of them offers it. */
export const V4_NAMESPACES = ['vmm', 'clustermgmt', 'networking', 'volumes', 'prism'] as const;

/** Base path of Prism Element's v2.0 API. */
export const PE_V2_BASE = '/PrismGateway/services/rest/v2.0';

/** Which API flavour a deployment is read with: Prism Central v4 or v3, or a lone Prism Element's v2.0. */
export type PrismApi =
  | {
      kind: 'v4';
      version: string;
      /** The `monitoring` version alerts are read with (null: none offered, v3 alerts instead). */
      monitoring?: string | null;
    }
  | { kind: 'v3' }
  | { kind: 'v2' };

export interface PrismClientOptions extends ProviderOptions {
  deadline?: Deadline;
  /** The invocation's redactor: the session cookie is registered on it as soon as it is issued. */
  redactor?: Redactor;
  /** Epoch-ms clock (the handlers share setupTimeInterval's). */
  now?: () => number;
  /** Retry tuning (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
  /** The warm-container session of these credentials (login and detection reused across invocations). */
  session?: Session;
}

/** What a login leaves in the session: the cookie (null where the upstream issues none) and the headers. */
interface PrismLogin {
  cookie: string | null;
  env: string | null;
  product: string | null;
}

/** Session key of the login. */
const LOGIN_KEY = 'prism.login';
// A cookie is given up a minute before the upstream says it expires: a request must not race its expiry.
const COOKIE_MARGIN_MS = 60_000;

/** Query values as lib/http takes them. */
export type Query = Record<string, string | number | boolean | undefined>;

/** Talks to one Prism Central: authenticated, limited, retried requests. */
export class PrismClient {
  readonly http: HttpClient;
  readonly endpoint: string;
  readonly limiter: RequestLimiter;
  readonly concurrency: number;
  readonly now: () => number;
  /** `X-Ntnx-Product` of the login response, when the server sends it (e.g. pc.2024.3.0.1). */
  product: string | null = null;
  /** `X-Ntnx-Env` of the login response (`pc` on Prism Central), when the server sends it. */
  env: string | null = null;
  /** The API in use came from the session cache: a 404 may mean the detection no longer holds. */
  apiFromCache = false;
  private cookie: string | null = null;
  private loggedIn: Promise<void> | null = null;
  private readonly basic: string;
  private readonly logger: PrismClientOptions['logger'];
  readonly session: Session | undefined;

  constructor(
    private readonly credentials: PrismCredentials,
    options: PrismClientOptions = {},
  ) {
    this.endpoint = credentials.endpoint.replace(/\/+$/, '');
    this.concurrency = options.concurrency ?? 4;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.limiter = new RequestLimiter(this.concurrency);
    this.session = options.session;
    this.basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    this.http = new HttpClient({
      baseUrl: this.endpoint,
      verifySsl: credentials.verifySsl,
      caCert: credentials.caCert,
      // v3 lists of 500 on a large PC can take tens of seconds (API.md §12).
      timeoutMs: options.requestTimeoutMs ?? 60_000,
      deadline: options.deadline,
      secrets: [credentials.password],
      redactor: options.redactor,
      retry: options.retry,
      logger: options.logger
        ? { warn: (m) => options.logger?.warn(m), info: (m) => options.logger?.info(m) }
        : undefined,
      maxSockets: Math.max(16, this.concurrency),
      auth: {
        headers: (): Record<string, string> =>
          this.cookie ? { cookie: `${SESSION_COOKIE}=${this.cookie}` } : { authorization: this.basic },
        refresh: async (signal) => {
          this.cookie = null;
          this.session?.delete(LOGIN_KEY);
          // Runs in the slot of the request that saw the 401: taking another slot deadlocks once every slot
          // is held by a request waiting for this same login (always at concurrency 1).
          await this.login(signal, false);
        },
      },
    });
    this.http.redactor.addBasicAuth(credentials.username, credentials.password);
  }

  /** Logs a warning (already free of secrets: callers pass ids and counts only). */
  warn(message: string): void {
    this.logger?.warn(message);
  }

  /**
   * Logs in once (concurrent callers share the login), or takes the login a previous invocation left in
   * the session. Bad credentials → HttpAuthError, and the session is dropped.
   */
  ensureSession(signal: AbortSignal): Promise<void> {
    if (!this.loggedIn) {
      const cached = this.session?.get<PrismLogin>(LOGIN_KEY);
      if (cached) {
        this.adopt(cached);
        this.loggedIn = Promise.resolve();
        return this.loggedIn;
      }
      this.loggedIn = this.login(signal).catch((err: unknown) => {
        this.loggedIn = null;
        throw err;
      });
    }
    return this.loggedIn;
  }

  private adopt(login: PrismLogin): void {
    this.cookie = login.cookie;
    this.env = login.env;
    this.product = login.product;
    if (login.cookie) this.http.redactor.add(login.cookie);
  }

  /** Whether this endpoint is a lone Prism Element (see probePrismElement). */
  isPrismElement(signal: AbortSignal): Promise<boolean> {
    return probePrismElement(this, signal);
  }

  private async login(signal: AbortSignal, limited = true): Promise<void> {
    const send = () =>
      this.http.request({
        method: 'GET',
        path: LOGIN_PATH,
        headers: { authorization: this.basic },
        auth: false,
        signal,
        operation: 'log in to Prism',
      });
    let res: Awaited<ReturnType<typeof send>>;
    try {
      res = limited ? await this.limiter.run(send) : await send();
    } catch (err) {
      // A Prism Element need not serve this v3 call: no session then, Basic auth on every request (bad
      // credentials still surface as 401 on the first real call).
      if (err instanceof HttpStatusError && err.status === 404) {
        this.remember({ cookie: null, env: this.env, product: this.product }, null);
        return;
      }
      if (err instanceof AuthenticationError) this.session?.drop();
      throw err;
    }
    this.env = res.headers['x-ntnx-env'] ?? this.env;
    this.product = res.headers['x-ntnx-product'] ?? this.product;
    const setCookie = res.headers['set-cookie'] ?? '';
    const match = new RegExp(`${SESSION_COOKIE}=([^;,\\s]+)`).exec(setCookie);
    if (match?.[1]) {
      this.cookie = match[1];
      this.http.redactor.add(this.cookie);
    }
    // No cookie (API-key gateways, PE): keep sending Basic auth on every request.
    this.remember(
      { cookie: this.cookie, env: this.env, product: this.product },
      this.cookie ? cookieExpiry(setCookie, Date.now()) : null,
    );
  }

  private remember(login: PrismLogin, expiresAt: number | null): void {
    if (!this.session) return;
    this.session.renew();
    this.session.set(LOGIN_KEY, login);
    if (expiresAt !== null) this.session.expireBy(expiresAt - COOKIE_MARGIN_MS);
  }

  /** GET under the concurrency limit (`exactIntegers`: see lib/http/json). */
  get<T>(
    path: string,
    query: Query,
    operation: string,
    signal: AbortSignal,
    options: { exactIntegers?: boolean } = {},
  ): Promise<T> {
    return this.send<T>({ method: 'GET', path, query, signal, operation, ...options });
  }

  /** POST (JSON) under the concurrency limit. */
  post<T>(
    path: string,
    body: unknown,
    operation: string,
    signal: AbortSignal,
    options: { exactIntegers?: boolean } = {},
  ): Promise<T> {
    return this.send<T>({ method: 'POST', path, body, signal, operation, ...options });
  }

  private async send<T>(request: RequestOptions & { signal: AbortSignal }): Promise<T> {
    await this.ensureSession(request.signal);
    try {
      const res = await this.limiter.run(() => this.http.request<T>(request));
      return res.body;
    } catch (err) {
      // Rejected even after a fresh login: nothing of this session is reusable.
      if (err instanceof AuthenticationError) this.session?.drop();
      throw err;
    }
  }

  /**
   * Chooses the API: v4 when every needed namespace offers a GA v4 version (v4.0 preferred, else the
   * lowest v4.x); without v4, v3 on a Prism Central and v2.0 on a lone Prism Element — or as forced by
   * `credentials.api` (`v3`/`v4`; a PE is only ever auto-detected, the credentials contract is unchanged).
   */
  async detectApi(signal: AbortSignal): Promise<PrismApi> {
    const forced = this.credentials.api;
    if (forced === 'v3') return { kind: 'v3' };
    let routes: unknown;
    try {
      routes = await this.get<unknown>('/api/actuator/versionroutes', {}, 'probe v4 version routes', signal);
    } catch (err) {
      // The version routes are PC-only (API.md §1): a 404 means an older PC (v3) or a Prism Element.
      if (err instanceof HttpStatusError && err.status === 404 && forced !== 'v4')
        return (await this.isPrismElement(signal)) ? { kind: 'v2' } : { kind: 'v3' };
      throw err;
    }
    const version = chooseV4Version(routes);
    if (version) return { kind: 'v4', version, monitoring: chooseMonitoringVersion(routes) };
    if (forced === 'v4') {
      throw new UpstreamError(
        `credentials.api is v4 but ${this.endpoint} offers no GA v4 version on ${V4_NAMESPACES.join(', ')}`,
      );
    }
    return { kind: 'v3' };
  }
}

/**
 * Tells a lone Prism Element from a Prism Central without v4, from what API.md §1 documents about PC: the
 * login's `X-Ntnx-Env: pc` header, or `GET /api/nutanix/v3/prism_central` answering `resources.type = PC`.
 * Neither → it is a PE if the PE v2.0 cluster call answers; if that is absent too, v3 is tried (and fails
 * loudly if it is not there either).
 */
async function probePrismElement(client: PrismClient, signal: AbortSignal): Promise<boolean> {
  if (client.env?.toLowerCase() === 'pc') return false;
  try {
    const pc = await client.get<unknown>('/api/nutanix/v3/prism_central', {}, 'probe Prism Central', signal);
    if (str(pc, 'resources.type') === 'PC') return false;
  } catch (err) {
    if (!(err instanceof HttpStatusError && err.status === 404)) throw err;
  }
  try {
    await client.get<unknown>(`${PE_V2_BASE}/cluster`, {}, 'probe Prism Element v2.0', signal);
    return true;
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return false;
    throw err;
  }
}

/** True for an upstream 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof HttpStatusError && err.status === 404;
}

/** Epoch ms at which the session cookie expires (`Max-Age` or `Expires` of its Set-Cookie), or null. */
export function cookieExpiry(setCookie: string, now: number): number | null {
  const at = setCookie.indexOf(`${SESSION_COOKIE}=`);
  if (at < 0) return null;
  // Attributes run up to the next cookie; Expires itself contains a comma ("Thu, 01 Jan …").
  const attributes = setCookie.slice(at).split(/,(?=\s*[A-Za-z0-9_-]+=)/)[0] ?? '';
  const maxAge = /;\s*max-age=(-?\d+)/i.exec(attributes);
  if (maxAge) return now + Number(maxAge[1]) * 1000;
  const expires = /;\s*expires=([^;]+)/i.exec(attributes);
  const ms = expires ? Date.parse(expires[1]!.trim()) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** v4 monitoring versions whose alert model the alerts reader knows (newest first). */
export const MONITORING_VERSIONS = ['v4.3', 'v4.2', 'v4.1', 'v4.0'] as const;

/** The newest GA version of the `monitoring` namespace the routes list and the alerts reader knows, or null. */
export function chooseMonitoringVersion(routes: unknown): string | null {
  if (!Array.isArray(routes)) return null;
  const entry = routes.find((r) => (r as { namespace?: unknown })?.namespace === 'monitoring') as
    | { versionRoutes?: { version?: unknown }[] }
    | undefined;
  const offered = new Set((entry?.versionRoutes ?? []).map((v) => v?.version));
  return MONITORING_VERSIONS.find((v) => offered.has(v)) ?? null;
}

/** Picks the v4 version every needed namespace offers: v4.0 if present, else the lowest v4.N. */
export function chooseV4Version(routes: unknown): string | null {
  if (!Array.isArray(routes)) {
    throw new UpstreamError('the version-routes probe returned something other than a list of namespaces');
  }
  let common: Set<string> | null = null as Set<string> | null;
  for (const ns of V4_NAMESPACES) {
    const entry = (routes as unknown[]).find((r) => (r as { namespace?: unknown })?.namespace === ns) as
      | { versionRoutes?: { version?: unknown }[] }
      | undefined;
    const versions = new Set<string>(
      (entry?.versionRoutes ?? [])
        .map((v) => v.version)
        .filter((v): v is string => typeof v === 'string' && /^v4\.\d+$/.test(v)),
    );
    common = common === null ? versions : new Set<string>([...common].filter((v: string) => versions.has(v)));
  }
  const offered = [...(common ?? [])].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  if (offered.includes('v4.0')) return 'v4.0';
  return offered[0] ?? null;
}
