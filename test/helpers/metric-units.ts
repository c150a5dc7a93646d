/** The nflex metric names and units per subject (docs/functions.md), for tests that check what is emitted. */

/** A VM's (and a host's, of those it has) metrics. */
export const SERVER_METRIC_UNITS: Readonly<Record<string, string>> = {
  'cpu-usage': '%',
  'cpu-ready': '%',
  'memory-usage': '%',
  'disk-read-iops': 'ops/s',
  'disk-write-iops': 'ops/s',
  'disk-latency': 'ms',
  'disk-read-latency': 'ms',
  'disk-write-latency': 'ms',
  'disk-throughput': 'B/s',
  'disk-read-throughput': 'B/s',
  'disk-write-throughput': 'B/s',
  'network-rx': 'B/s',
  'network-tx': 'B/s',
};

/** A compute pool has the server metrics that are not per VM, and storage. */
export const POOL_METRIC_UNITS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(SERVER_METRIC_UNITS).filter(
      ([name]) => !['cpu-ready', 'network-rx', 'network-tx'].includes(name),
    ),
  ),
  'storage-usage': '%',
  'storage-used': 'B',
  'storage-capacity': 'B',
};
