/**
 * Metric points and log lines are built one at a time as a streamed result reads them: the conversion
 * filters, warns and orders the whole input first, keeping references only, and each nflex object comes
 * into being when it is read. Read in full, they are what the buffered functions return.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseMetricMapping } from '../../lib/connector-utils/mapping/index';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import { alertLineStream } from '../../lib/monitoring/logs';
import type { AlertRecord } from '../../lib/providers/monitoring';
import type { Sample } from '../../lib/providers/provider';
import { metricPoints } from '../../lib/providers/to-nflex';

const mapping = parseMetricMapping(
  [
    'cpu@PERCENT:',
    '  name: cpu-usage',
    "  unit: '%'",
    '  counter: false',
    'mem@RATIO:',
    '  name: memory-usage',
    "  unit: '%'",
    '  counter: false',
    '  conversion_expr: value * 100',
  ].join('\n'),
  { file: 'test.yaml' },
);

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
const window = {
  start: PreciseTime.fromEpochMicros(T0 * 1000),
  end: PreciseTime.fromEpochMicros((T0 + 600_000) * 1000),
};

function sample(subjectId: string, metric: string, value: number, offsetS: number): Sample {
  return {
    subjectId,
    subjectKind: 'server',
    metric,
    value,
    time: new Date(T0 + offsetS * 1000).toISOString(),
  };
}

describe('metricPoints', () => {
  it('warns and orders at once, then builds each point only when it is read', () => {
    const samples = [
      sample('vm-b', 'cpu@PERCENT', 10, 60),
      sample('vm-a', 'mem@RATIO', 0.5, 60),
      sample('vm-a', 'cpu@PERCENT', 20, 0),
      sample('vm-a', 'cpu@PERCENT', 20, 0),
      sample('vm-a', 'nope', 1, 0),
      sample('vm-a', 'cpu@PERCENT', 30, 900),
    ];
    const cpu = mapping.get('cpu@PERCENT')!;
    const unit = vi.spyOn(cpu, 'unit');
    const warn = vi.fn();
    const points = metricPoints(samples, mapping, { window, resourceId: 'r-1', warn });
    expect(Array.isArray(points)).toBe(false);
    expect(warn).toHaveBeenCalledWith('samples without a mapping entry were skipped', { metrics: ['nope'] });
    expect(unit).not.toHaveBeenCalled();
    const it = points[Symbol.iterator]();
    expect(it.next().value).toEqual({
      metric: 'cpu-usage',
      value: 20,
      unit: '%',
      time: '2026-12-03T10:00:00Z',
      provider_id: 'vm-a',
      resource_id: 'r-1',
    });
    expect(unit).toHaveBeenCalledTimes(1);
    expect([...it].map((p) => `${p.provider_id} ${p.metric} ${p.value}`)).toEqual([
      'vm-a memory-usage 50',
      'vm-b cpu-usage 10',
    ]);
  });
});

describe('alertLineStream', () => {
  it('orders the changes at once, then renders each line only when it is read', () => {
    let reads = 0;
    const alert = (id: string, created: number, resolved: number | null): AlertRecord => {
      const record: AlertRecord = {
        id,
        severity: 'WARNING',
        message: '',
        source: { kind: 'vm', id: `vm-${id}`, name: `vm ${id}` },
        sourcedOn: [{ kind: 'vm', id: `vm-${id}` }],
        hostName: 'host-1',
        clusterName: 'c1',
        createdMicros: created,
        resolvedMicros: resolved,
      };
      Object.defineProperty(record, 'message', {
        get: () => {
          reads++;
          return `alert ${id}`;
        },
      });
      return record;
    };
    const us = T0 * 1000;
    const lines = alertLineStream(
      [alert('b', us + 2e6, null), alert('a', us + 1e6, us + 3e6)],
      { after: us, until: us + 10e6, lastUpdate: '' },
      'svc',
      () => {},
    );
    expect(Array.isArray(lines)).toBe(false);
    expect(reads).toBe(0);
    const it = lines[Symbol.iterator]();
    expect(it.next().value).toMatchObject({ message: 'alert a (vm vm a) [alert a]', severity: 'WARNING' });
    expect(reads).toBe(1);
    expect([...it].map((l) => l.message)).toEqual([
      'alert b (vm vm b) [alert b]',
      'Resolved: alert a (vm vm a) [alert a]',
    ]);
  });
});
