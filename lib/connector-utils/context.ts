/**
 * The nflex `context` as connector-utils sees it (flexer's FlexerContext, reduced to what connectors use).
 * Our CMP client talks HTTP, so every API call is async; that makes setTaskPercentage and Account.update
 * async too (the Python originals were blocking).
 */

/** An HTTP response from the CMP API. `content` is the raw body text (Python: bytes). */
export interface NflexApiResponse {
  status_code: number;
  content?: string;
  /** Parsed JSON body. */
  json(): unknown;
}

/** The CMP API client: paths are relative to the API root (e.g. `/tasks/<id>/update`), bodies are JSON. */
export interface NflexApi {
  get(path: string, params?: Record<string, unknown>): Promise<NflexApiResponse>;
  post(path: string, data?: unknown): Promise<NflexApiResponse>;
  put(path: string, data?: unknown): Promise<NflexApiResponse>;
  patch(path: string, data?: unknown): Promise<NflexApiResponse>;
  delete(path: string, params?: Record<string, unknown>): Promise<NflexApiResponse>;
}

/** The module's key-value store (in memory locally, pluggable when deployed). */
export interface NflexState {
  get(key: string): Promise<unknown>;
  getAll(): Promise<Record<string, unknown>>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Severities Logger passes to `context.log`. */
export type NflexLogSeverity = 'info' | 'warn' | 'error' | 'exception' | (string & {});

/** What a handler receives as its second argument. */
export interface NflexContext {
  api: NflexApi;
  /** Sends a log line to the platform; failures must be reported, not thrown (flexer prints them). */
  log(message: string, severity?: NflexLogSeverity): void | Promise<void>;
  /** Set only when running on the platform; null/undefined locally, which makes Logger print to stdout. */
  module_id?: string | null;
  customer_id?: string | null;
  secrets: Record<string, unknown>;
  config: Record<string, unknown>;
  state: NflexState;
}
