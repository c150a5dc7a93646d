/**
 * Peak resident memory of the current process, read the same way in the bare baseline and in the
 * inventory child so the two numbers are comparable.
 */
import { readFileSync } from 'node:fs';

/** Peak RSS in KiB: VmHWM from /proc/self/status where there is one, else the kernel's maxrss. */
export function peakRssKib(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // Not Linux: fall through to getrusage.
  }
  return process.resourceUsage().maxRSS;
}

/** Writes one JSON line with the peak RSS and `extra` to stdout; the parent reads the last line. */
export function reportPeak(extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ peakRssKib: peakRssKib(), ...extra })}\n`);
}
