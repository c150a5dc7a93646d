/**
 * The module's key-value `state` store. In memory at module level, so values survive between warm
 * invocations of one container (as flexer's local store survives between runs of one process); a deployed
 * setup can pass any other NflexState implementation to buildNflexContext.
 */
import type { NflexState } from '../connector-utils/context';

/** A key-value store kept in process memory; values are deep-copied in and out, like a real remote store. */
export class MemoryStateStore implements NflexState {
  private readonly values = new Map<string, string>();

  /** The value stored under `key`, or null. */
  async get(key: string): Promise<unknown> {
    const v = this.values.get(key);
    return v === undefined ? null : JSON.parse(v);
  }

  /** Every key and value. */
  async getAll(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.values) out[k] = JSON.parse(v);
    return out;
  }

  /** Stores a JSON value (undefined is stored as null). */
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value ?? null));
  }

  /** Stores several values at once. */
  async setMulti(values: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(values)) await this.set(k, v);
  }

  /** Removes a key (no error when absent). */
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** Removes several keys. */
  async deleteMulti(keys: string[]): Promise<void> {
    for (const k of keys) this.values.delete(k);
  }
}

/** The process-wide store used by the handlers. */
export const moduleState = new MemoryStateStore();
