/** Logger: log lines tagged with the customer/account/resource they concern. */
import type { NflexContext } from './context';

/** Options of `new Logger(...)`. */
export interface LoggerOptions {
  /** Only `module_id` and `log` are used. */
  context: Pick<NflexContext, 'module_id' | 'log'>;
  customerId: string | null | undefined;
  accountId: string | null | undefined;
  resourceId?: string | null;
}

/** Python's str(None) for the target prefix. */
function show(value: string | null | undefined): string {
  return value === null || value === undefined ? 'None' : value;
}

/** Reports a log line that could not be delivered. */
function reportLogFailure(err: unknown): void {
  process.stderr.write(`failed to send log line: ${err instanceof Error ? err.message : String(err)}\n`);
}

/**
 * Writes `Target(customer: C,account: A, resource: R): <message>`. On the platform (truthy module_id) the
 * line goes to `context.log(line, severity)`; locally it is printed as `<severity>\t<line>` to stdout,
 * as the original decides.
 */
export class Logger {
  private readonly context: Pick<NflexContext, 'module_id' | 'log'>;
  private readonly prefix: string;

  constructor(options: LoggerOptions) {
    this.context = options.context;
    this.prefix = `Target(customer: ${show(options.customerId)},account: ${show(options.accountId)}, resource: ${show(options.resourceId)}): `;
  }

  /** Logs at severity `info`. */
  info(message: string): void {
    this.write('info', message);
  }

  /** Logs at severity `warn`. */
  warn(message: string): void {
    this.write('warn', message);
  }

  /** Logs at severity `error`. */
  error(message: string): void {
    this.write('error', message);
  }

  /** Logs at severity `exception`. */
  exception(message: string): void {
    this.write('exception', message);
  }

  private write(severity: string, message: string): void {
    const line = `${this.prefix}${message}`;
    if (this.context.module_id) {
      // context.log may be async (HTTP); like flexer, a failed log is reported, never thrown at the caller.
      try {
        const pending = this.context.log(line, severity);
        if (pending) pending.catch(reportLogFailure);
      } catch (err) {
        reportLogFailure(err);
      }
      return;
    }
    process.stdout.write(`${severity}\t${line}\n`);
  }
}
