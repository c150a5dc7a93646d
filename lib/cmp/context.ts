/**
 * Builds the nflex `context` (connector-utils' NflexContext) for one invocation: the CMP API client, `log`,
 * `state`, `secrets`, `config`, `module_id`, `customer_id` — so Logger, setTaskPercentage and Account.update
 * work unchanged.
 */

import { isPlainObject } from '../config/fields';
import { getParameter } from '../config/ssm';
import type { NflexContext, NflexLogSeverity, NflexState } from '../connector-utils/context';
import { ValidationError } from '../errors';
import { checkUrlPort } from '../http/ports';
import type { Redactor } from '../http/redact';
import { LOCAL_ONLY } from '../log/logger';
import { type CmpApiConfig, HttpCmpApi, OfflineCmpApi } from './api';
import { moduleState } from './state';

/** The recorder used when no CMP API is configured (tests and local runs read its `calls`). */
export const offlineCmpApi = new OfflineCmpApi();

/** Where structured diagnostics about the context itself go (the invocation's logger). */
export interface ContextLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Reads the CMP API configuration from env, or from the SSM parameter env names; null when none. */
export async function cmpApiConfig(signal?: AbortSignal): Promise<CmpApiConfig | null> {
  const url = process.env.CMP_API_URL;
  if (url) return { url: checkedCmpUrl(url, 'CMP_API_URL'), key: process.env.CMP_API_KEY || undefined };
  const parameter = process.env.CMP_API_SSM_PARAMETER;
  if (!parameter) return null;
  const text = await getParameter(
    parameter,
    signal,
    () =>
      new ValidationError('CMP_API_SSM_PARAMETER', 'the name of an existing SSM parameter', {
        got: JSON.stringify(parameter),
      }),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!isPlainObject(parsed) || typeof parsed.url !== 'string' || !parsed.url) {
    throw new ValidationError(`SSM parameter ${parameter}`, 'a JSON object {"url": "...", "key": "..."}');
  }
  return {
    url: checkedCmpUrl(parsed.url, `SSM parameter ${parameter} url`),
    key: typeof parsed.key === 'string' ? parsed.key : undefined,
  };
}

/** The CMP API base URL, which must be http(s) with a port 1–65535 when it names one. */
function checkedCmpUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(field, 'an http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError(field, 'an http:// or https:// URL');
  }
  checkUrlPort(parsed, field);
  return url;
}

/** Options of buildNflexContext. */
export interface NflexContextOptions {
  customerId: string | undefined;
  redactor: Redactor;
  logger: ContextLogger;
  signal?: AbortSignal;
  /** Defaults to the process-wide in-memory store. */
  state?: NflexState;
  /** Defaults to cmpApiConfig() (env / SSM). */
  api?: CmpApiConfig | null;
}

/** The `YYYY-MM-DDTHH:MM:SS.ffffffZ` timestamp flexer puts on log entries. */
function logTimestamp(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Builds the context. `module_id` comes from env NFLEX_MODULE_ID; when a CMP API is configured but no module
 * id is, it is `local` — connector-utils only talks to the CMP (logs, account updates) when module_id is set.
 */
export async function buildNflexContext(options: NflexContextOptions): Promise<NflexContext> {
  const config = options.api === undefined ? await cmpApiConfig(options.signal) : options.api;
  const api = config
    ? new HttpCmpApi(config, { signal: options.signal, redactor: options.redactor })
    : offlineCmpApi;
  const moduleId = process.env.NFLEX_MODULE_ID || (config ? 'local' : null);
  const { redactor, logger } = options;

  const log = async (message: string, severity: NflexLogSeverity = 'info'): Promise<void> => {
    const entry: Record<string, string> = {
      message: redactor.redact(message),
      severity: String(severity).toUpperCase(),
      service: 'nflex.flexer',
      timestamp: logTimestamp(),
    };
    if (moduleId) entry.resource_id = `nflex-module-${moduleId}`;
    try {
      const res = await api.post('/logs', [entry]);
      if (res.status_code >= 300)
        logger.warn('CMP log API refused a log line', { status: res.status_code, [LOCAL_ONLY]: true });
    } catch (err) {
      // flexer prints a failed log delivery and carries on; so do we.
      logger.warn('CMP log API unreachable', {
        error: err instanceof Error ? err.message : String(err),
        [LOCAL_ONLY]: true,
      });
    }
  };

  return {
    api,
    log,
    module_id: moduleId,
    customer_id: options.customerId ?? null,
    secrets: {},
    config: {},
    state: options.state ?? moduleState,
  };
}
