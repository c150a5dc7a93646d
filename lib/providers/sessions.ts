/**
 * The warm-container cache: sessions (CloudTower token, Prism cookie), API detection and other per-account
 * facts, kept at module scope so a warm invocation skips the login and probes. Keyed by provider + a hash of
 * every resolved credential but `clusters` (a changed secret or endpoint never finds the old session), LRU-
 * bounded, expiring with the session or after ten minutes, and printed only as `[session]`.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/** Most sessions one container keeps. */
export const MAX_SESSIONS = 32;
/** Longest a session is reused, even when the upstream would still accept it. */
export const SESSION_TTL_MS = 10 * 60_000;

/** One account's cached facts. Values are whatever the provider stores under its own names. */
export class Session {
  private readonly values = new Map<string, unknown>();
  /** Epoch ms after which the cache no longer hands this session out. */
  expiresAt: number;

  constructor(
    /** Hash of the provider and credentials; safe to compare, never the credentials themselves. */
    readonly key: string,
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly onDrop: (session: Session) => void,
  ) {
    this.expiresAt = now() + ttlMs;
  }

  /** The value stored under `name`, or undefined. */
  get<T>(name: string): T | undefined {
    return this.values.get(name) as T | undefined;
  }

  /** Stores `value` under `name` for later invocations on the same account. */
  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  /** Forgets one value (a detection that no longer holds, a session the upstream revoked). */
  delete(name: string): void {
    this.values.delete(name);
  }

  /** True when a value is stored under `name`. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Ends reuse no later than `epochMs` (an upstream session that expires before the cache TTL). */
  expireBy(epochMs: number): void {
    if (Number.isFinite(epochMs)) this.expiresAt = Math.min(this.expiresAt, epochMs);
  }

  /** Starts a new lifetime after a fresh login (still capped by the TTL). */
  renew(): void {
    this.expiresAt = this.now() + this.ttlMs;
  }

  /** Removes the session from the cache (rejected credentials): the next invocation starts cold. */
  drop(): void {
    this.values.clear();
    this.onDrop(this);
  }

  toJSON(): string {
    return '[session]';
  }

  toString(): string {
    return '[session]';
  }

  [inspect.custom](): string {
    return '[session]';
  }
}

/** Canonical JSON (sorted keys) of a credentials object without `clusters`, for hashing. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'clusters' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The cache key of `credentials` for `provider`: a SHA-256, so no secret is held in a key. */
export function sessionKey(provider: string, credentials: object): string {
  return createHash('sha256')
    .update(`${provider}\n${canonical(credentials)}`)
    .digest('hex');
}

/** A bounded, expiring map of sessions. */
export class SessionCache {
  private readonly entries = new Map<string, Session>();

  constructor(
    readonly maxEntries = MAX_SESSIONS,
    readonly ttlMs = SESSION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live session for these credentials, or a new empty one (which evicts the oldest beyond the bound). */
  open(provider: string, credentials: object): Session {
    const key = sessionKey(provider, credentials);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (hit.expiresAt > this.now()) {
        this.entries.set(key, hit); // most recently used last
        return hit;
      }
    }
    const session = new Session(key, this.now, this.ttlMs, (s) => {
      if (this.entries.get(s.key) === s) this.entries.delete(s.key);
    });
    this.entries.set(key, session);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return session;
  }

  /** Sessions held now. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets every session (tests). */
  clear(): void {
    this.entries.clear();
  }

  toJSON(): string {
    return `[${this.entries.size} sessions]`;
  }

  [inspect.custom](): string {
    return `[${this.entries.size} sessions]`;
  }
}

/** The container's cache: module scope, so it outlives one invocation. */
export const sessionCache = new SessionCache();
