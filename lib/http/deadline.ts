/**
 * The invocation's deadline. Lambda kills a function at its timeout without a word; we stop a safety
 * margin before that, cleanly, with a typed error — and every wait or retry checks the time left first.
 */
import { DeadlineExceededError } from '../errors';

/** Anything that can tell the remaining invocation time (the Lambda context does). */
export interface RemainingTimeSource {
  getRemainingTimeInMillis(): number;
}

/** A point in time after which no new work starts; exposes an AbortSignal that fires at that point. */
export class Deadline {
  private controller: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** @param endsAt epoch ms at which work must have stopped (Infinity for none). */
  constructor(
    readonly endsAt: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A deadline that never fires (tests, scripts). */
  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }

  /** A deadline `ms` from now. */
  static after(ms: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + ms, now);
  }

  /** The Lambda's remaining time minus a safety margin for serialising the result and returning it. */
  static fromLambdaContext(
    ctx: RemainingTimeSource,
    safetyMs = 1500,
    now: () => number = Date.now,
  ): Deadline {
    return new Deadline(now() + Math.max(0, ctx.getRemainingTimeInMillis() - safetyMs), now);
  }

  /** Milliseconds left (0 when passed, Infinity when unbounded). */
  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  /** True once the deadline has passed. */
  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Throws DeadlineExceededError naming `what` if the deadline has passed. */
  check(what: string): void {
    if (this.expired()) throw this.error(what);
  }

  /** The error used when work is cut off by this deadline. */
  error(what: string): DeadlineExceededError {
    return new DeadlineExceededError(`stopped before the invocation timeout while ${what}`);
  }

  /** Aborts when the deadline passes; the timer does not keep the process alive. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (Number.isFinite(this.endsAt)) {
        const ms = this.remainingMs();
        const fire = () => this.controller?.abort(this.error('waiting for the upstream'));
        if (ms <= 0) fire();
        else {
          this.timer = setTimeout(fire, ms);
          this.timer.unref();
        }
      }
    }
    return this.controller.signal;
  }

  /** Releases the timer (the signal stays as it is). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
