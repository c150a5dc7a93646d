/**
 * CloudTower v2 REST client: one login per invocation (or an API key), the raw token in `Authorization`, one
 * re-login on a 401, every call a JSON POST under `/v2/api`. Lists are read with the shared pager (count, then
 * `first` + `skip` pages in id order); one limiter bounds every request of the client, so pages of different
 * kinds together never exceed `concurrency` against the Tower.
 */
import { AuthenticationError, UpstreamError } from '../../errors';
import {
  type Deadline,
  HttpAuthError,
  HttpClient,
  HttpStatusError,
  type Redactor,
  RequestLimiter,
  type RequestOptions,
} from '../../http';
import { parseJsonArray } from '../../http/json';
import { collectPages } from '../paging';
import type { CloudTowerCredentials } from '../provider';
import type { Session } from '../sessions';

const API = '/v2/api';

export interface CloudTowerClientOptions {
  /** Requests in flight at most against this Tower (default 4). */
  concurrency?: number;
  requestTimeoutMs?: number;
  deadline?: Deadline;
  logger?: { warn(message: string): void; info?(message: string): void };
  /** Items per list page (default 500, the upper end of API.md's advice). */
  pageSize?: number;
  /** Whole-collection re-reads when a paged read is inconsistent (default 3). */
  maxPagingAttempts?: number;
  /** `concurrent` (count + first/skip pages, default) or `sequential-cursor` (the `after` loop, a baseline). */
  paging?: 'concurrent' | 'sequential-cursor';
  /** The invocation's redactor: the login token is registered on it, so no log line can carry it. */
  redactor?: Redactor;
  /** Retry tuning passed to lib/http (tests shorten the backoff). */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** The warm-container session of these credentials (the login token is reused across invocations). */
  session?: Session;
}

/** Session keys. */
const TOKEN_KEY = 'cloudtower.token';
const VERSION_KEY = 'cloudtower.version';

/** The CloudTower API as the collector uses it. */
export class CloudTowerClient {
  readonly http: HttpClient;
  readonly concurrency: number;
  readonly pageSize: number;
  private token: string | undefined;
  private loggingIn: Promise<string> | null = null;
  private readonly limiter: RequestLimiter;
  /** Logins performed (at most 1 per invocation, +1 per re-login after a 401; 0 on a warm session). */
  logins = 0;
  readonly session: Session | undefined;

  constructor(
    private readonly credentials: CloudTowerCredentials,
    private readonly options: CloudTowerClientOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.pageSize = options.pageSize ?? 500;
    this.limiter = new RequestLimiter(this.concurrency);
    this.session = options.session;
    this.token = credentials.token ?? this.session?.get<string>(TOKEN_KEY);
    this.http = new HttpClient({
      baseUrl: credentials.endpoint,
      verifySsl: credentials.verifySsl,
      ...(credentials.caCert ? { caCert: credentials.caCert } : {}),
      ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
      ...(options.deadline ? { deadline: options.deadline } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
      maxSockets: Math.max(this.concurrency, 4),
      secrets: [credentials.password, credentials.token, this.token],
      auth: {
        headers: async (signal) => ({ authorization: await this.currentToken(signal) }),
        // An API key cannot be renewed: a 401 on it is final (HttpAuthError → InvalidCredentials).
        ...(credentials.token === undefined
          ? { refresh: (signal: AbortSignal) => this.relogin(signal) }
          : {}),
      },
    });
  }

  /** Logs in now unless a token is already held (validate uses this to test the credentials first). */
  async ensureLogin(signal: AbortSignal): Promise<void> {
    await this.currentToken(signal);
  }

  private async currentToken(signal: AbortSignal): Promise<string> {
    if (this.token !== undefined) return this.token;
    return this.login(signal);
  }

  private async relogin(signal: AbortSignal): Promise<void> {
    this.token = undefined;
    this.session?.delete(TOKEN_KEY);
    await this.login(signal);
  }

  /** One login shared by every request waiting for a token. */
  private login(signal: AbortSignal): Promise<string> {
    this.loggingIn ??= this.doLogin(signal).finally(() => {
      this.loggingIn = null;
    });
    return this.loggingIn;
  }

  private async doLogin(signal: AbortSignal): Promise<string> {
    const { username, password } = this.credentials;
    // Passed through as given (LDAP users log in with `source: "LDAP"`), upper-cased because the Tower's
    // UserSource enum is, and a user writing `ldap` should not get a puzzling "rejected login".
    const source = (this.credentials.source || 'LOCAL').trim().toUpperCase();
    if (!username || !password) {
      throw new AuthenticationError('CloudTower credentials need username and password, or an API-key token');
    }
    this.logins++;
    let body: { data?: { token?: unknown } } | null;
    try {
      const res = await this.http.request<{ data?: { token?: unknown } } | null>({
        method: 'POST',
        path: `${API}/login`,
        body: { username, password, source },
        headers: { 'content-language': 'en-US' },
        operation: 'login',
        auth: false,
        signal,
      });
      body = res.body;
    } catch (err) {
      // The Tower reports a wrong password as an error body; the status is 400 or 401 (unverified which).
      if (err instanceof HttpAuthError || (err instanceof HttpStatusError && err.status === 400)) {
        this.session?.drop();
        throw new AuthenticationError(
          `CloudTower rejected the login of user "${username}" (source ${source})`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    const token = body?.data?.token;
    if (typeof token !== 'string' || token === '') {
      throw new CloudTowerResponseError('login answered 200 without data.token');
    }
    this.http.redactor.add(token);
    this.token = token;
    // Login tokens do not expire by design (API.md §2): the session lives out the cache's TTL.
    this.session?.renew();
    this.session?.set(TOKEN_KEY, token);
    return token;
  }

  /**
   * POSTs `body` to `/v2/api/<operation>` under the limiter and returns the parsed body (`reviver`: see
   * JSON.parse; metrics calls drop points outside the window with it).
   */
  async call<T>(
    operation: string,
    body: unknown,
    signal: AbortSignal,
    options: Pick<RequestOptions, 'reviver' | 'parse'> = {},
  ): Promise<T> {
    return this.limiter.run(async () => {
      try {
        const res = await this.http.request<T>({
          method: 'POST',
          path: `${API}/${operation}`,
          body,
          headers: { 'content-language': 'en-US' },
          operation,
          signal,
          ...(options.reviver ? { reviver: options.reviver } : {}),
          ...(options.parse ? { parse: options.parse } : {}),
        });
        return res.body;
      } catch (err) {
        // Rejected even after a fresh login (or an API key revoked): nothing of this session is reusable.
        if (err instanceof AuthenticationError) this.session?.drop();
        throw err;
      }
    });
  }

  /** `GET /v2/api/get-version` (no auth); null when the Tower does not answer it. */
  async version(signal: AbortSignal): Promise<string | null> {
    const cached = this.session?.get<string | null>(VERSION_KEY);
    if (cached !== undefined) return cached;
    try {
      const res = await this.http.request<unknown>({
        method: 'GET',
        path: `${API}/get-version`,
        operation: 'get-version',
        auth: false,
        signal,
      });
      const version = typeof res.body === 'string' ? res.body : null;
      this.session?.set(VERSION_KEY, version);
      return version;
    } catch (err) {
      if (err instanceof HttpStatusError) return null;
      throw err;
    }
  }

  /** Number of objects matching `where` (`get-<plural>-connection`). */
  async count(plural: string, where: unknown, signal: AbortSignal): Promise<number> {
    const body = await this.call<{ aggregate?: { count?: unknown } }>(
      `get-${plural}-connection`,
      where === undefined ? {} : { where },
      signal,
    );
    const n = body?.aggregate?.count;
    if (typeof n !== 'number')
      throw new CloudTowerResponseError(`get-${plural}-connection answered without aggregate.count`);
    return n;
  }

  /**
   * Every object of `get-<plural>` matching `where` — complete, or a typed error. `pick`, when given, is
   * applied to each row as its page arrives (see ./rows: whole rows must not outlive their page).
   */
  async listAll<T extends { id: string }>(
    plural: string,
    where: unknown,
    signal: AbortSignal,
    pick?: (row: T) => T,
  ): Promise<T[]> {
    const list: Listing<T> = { plural, filter: where === undefined ? {} : { where }, pick };
    if (this.options.paging === 'sequential-cursor') return this.listByCursor(list, signal);
    return collectPages<T>({
      what: plural,
      pageSize: this.pageSize,
      concurrency: this.concurrency,
      ...(this.options.maxPagingAttempts !== undefined
        ? { maxAttempts: this.options.maxPagingAttempts }
        : {}),
      signal,
      count: (s) => this.count(plural, where, s),
      fetchPage: async ({ offset, limit }, s) => ({
        items: await this.page(list, { first: limit, skip: offset }, s),
      }),
      idOf: (item) => item.id,
      onRetry: (reason, attempt) =>
        this.options.logger?.warn(`re-reading ${plural} (attempt ${attempt + 1}): ${reason}`),
    });
  }

  /**
   * One page of a listing in id order, each row picked as it is parsed: a page body is 0.2–0.8 MB, which
   * JSON.parse would build whole in old space (see parseJsonArray); row by row, the unpicked fields die young.
   */
  private async page<T>(list: Listing<T>, range: Record<string, unknown>, signal: AbortSignal): Promise<T[]> {
    const pick = list.pick;
    const items = await this.call<T[]>(
      `get-${list.plural}`,
      { ...list.filter, orderBy: 'id_ASC', ...range },
      signal,
      pick ? { parse: (text) => parseJsonArray(text, (row) => pick(row as T)) } : {},
    );
    if (!Array.isArray(items))
      throw new CloudTowerResponseError(`get-${list.plural} did not answer an array`);
    return items;
  }

  /**
   * The vendor-recommended loop (`first` + `after: <last id>`), one page at a time. Kept as the baseline
   * the benchmark compares the concurrent reader against; it cannot run pages of one kind in parallel.
   */
  private async listByCursor<T extends { id: string }>(list: Listing<T>, signal: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.page(list, { first: this.pageSize, ...(after ? { after } : {}) }, signal);
      for (const item of page) {
        if (seen.has(item.id))
          throw new CloudTowerResponseError(`get-${list.plural} repeated id ${item.id} (cursor loop)`);
        seen.add(item.id);
        out.push(item);
      }
      if (page.length < this.pageSize) return out;
      after = page[page.length - 1]?.id;
    }
  }

  /** Closes keep-alive sockets. */
  close(): void {
    this.http.close();
  }
}

/** What listAll reads: `get-<plural>`, its `where` filter, and the pick applied to each row. */
interface Listing<T> {
  plural: string;
  filter: { where?: unknown };
  pick: ((row: T) => T) | undefined;
}

/** A malformed 2xx answer: the Tower said OK but the body is not what the API defines. */
export class CloudTowerResponseError extends UpstreamError {
  constructor(message: string) {
    super(`CloudTower: ${message}`);
  }
}
