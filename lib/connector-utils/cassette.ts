/**
 * vcr_cassette_context counterpart. The original recorded HTTP traffic with vcrpy when DEBUG_VCR was set;
 * we test against loopback simulators instead, so recording would add nothing: this is the identity (the
 * behaviour the original has whenever DEBUG_VCR is unset). Kept so ported handlers read the same.
 */

/** Returns `fn` unchanged. */
export function withCassette<F extends (...args: never[]) => unknown>(fn: F): F {
  return fn;
}
