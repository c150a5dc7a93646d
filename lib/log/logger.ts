/**
 * Structured JSON log lines (one object per line on stdout, which CloudWatch indexes) with the request id,
 * handler, provider and account on every line. Each line passes through the invocation's Redactor last, so a
 * secret that slipped into a message or a field is masked before it is written.
 */
import { Redactor } from '../http/redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where finished lines go; tests replace it to capture every line. */
export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};
let sink: LogSink = stdoutSink;

/** Replaces the sink every logger writes to; null restores stdout. */
export function setLogSink(next: LogSink | null): void {
  sink = next ?? stdoutSink;
}

/** The minimum level from env LOG_LEVEL (debug|info|warn|error, default info). */
function minLevel(): number {
  const v = (process.env.LOG_LEVEL ?? 'info').toLowerCase() as LogLevel;
  return LEVELS[v] ?? LEVELS.info;
}

/** Makes a value JSON-safe: errors become {name, message}, bigint becomes text. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Receives info-and-above lines for the platform (the CMP's log API via connector-utils' Logger). */
export type PlatformForwarder = (level: Exclude<LogLevel, 'debug'>, text: string) => void;

/** Field that keeps a line off the platform: set on lines about delivering platform logs themselves. */
export const LOCAL_ONLY = 'local_only';

/** A logger bound to fixed fields; `child` adds more. Compatible with the providers' `logger` option. */
export class StructuredLogger {
  constructor(
    private readonly base: LogFields,
    readonly redactor: Redactor = new Redactor(),
    private readonly platform: { forward: PlatformForwarder | null } = { forward: null },
  ) {}

  /** A logger with extra fixed fields, sharing this one's redactor and platform forwarder. */
  child(fields: LogFields): StructuredLogger {
    return new StructuredLogger({ ...this.base, ...fields }, this.redactor, this.platform);
  }

  /**
   * Also sends info/warn/error lines to the platform. The message and the line's own fields (not the fixed
   * ones, which the platform's Target prefix and log metadata already carry) are redacted first.
   */
  forwardTo(forward: PlatformForwarder | null): void {
    this.platform.forward = forward;
  }

  /** Adds or replaces fixed fields in place (e.g. once the provider is known). */
  bind(fields: LogFields): void {
    Object.assign(this.base, fields);
  }

  /** Writes one line at `level`. */
  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (LEVELS[level] < minLevel()) return;
    const { [LOCAL_ONLY]: localOnly, ...own } = fields;
    this.writeLine(level, message, own);
    if (level !== 'debug' && !localOnly && this.platform.forward) {
      const detail = Object.entries(own)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonSafe)}`)
        .join(' ');
      this.platform.forward(level, this.redactor.redact(detail ? `${message} (${detail})` : message));
    }
  }

  private writeLine(level: LogLevel, message: string, fields: LogFields): void {
    let line: string;
    try {
      line = JSON.stringify(
        { time: new Date().toISOString(), level, message, ...this.base, ...fields },
        jsonSafe,
      );
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level, message, ...this.base });
    }
    sink(this.redactor.redact(line));
  }

  /** Debug-level line. */
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  /** Info-level line. */
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  /** Warning line. */
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  /** Error line. */
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
}
