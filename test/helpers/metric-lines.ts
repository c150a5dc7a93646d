/** Metric points as comparable lines, for ground-truth equality tests of both providers. */
import type { ParsedEntry } from '../../lib/connector-utils/mapping/metric-mapping';
import type { Sample } from '../../lib/providers/provider';

/** One point as a line; values to 12 significant digits (the order of float operations may differ). */
export function line(
  subject: string,
  name: string,
  unit: string,
  value: number,
  time: number | string,
): string {
  return `${subject} ${name} ${unit} ${Number(value.toPrecision(12))} ${new Date(time).toISOString()}`;
}

/** Samples → lines through the mapping (what getMetrics does with them), sorted. */
export function mappedLines(samples: Sample[], mapping: ReadonlyMap<string, ParsedEntry>): string[] {
  return samples
    .map((s) => {
      const e = mapping.get(s.metric);
      if (!e) return `${s.subjectId} UNMAPPED ${s.metric}`;
      return line(s.subjectId, e.name(), e.unit(), Number(e.convert({ value: s.value })), s.time);
    })
    .sort();
}
