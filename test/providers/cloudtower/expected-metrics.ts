/**
 * Ground truth for CloudTower metrics: the nflex points (name, unit, converted value, time, subject) a
 * window must yield, from the simulator's values and the contract table below — never from the provider's
 * name lists or mappings/cloudtower.yaml, so a wrong mapping or a missing name fails.
 */
import type { TimeWindow } from '../../../lib/providers/provider';
import { line } from '../../helpers/metric-lines';
import type { CloudTowerSimulator, Row } from '../../simulators/cloudtower/index';

interface Contract {
  metric: string;
  unit: string;
  /** From the simulator's canonical unit (PERCENT, COUNT, TIME ns, DATA_RATE_BYTE, DATA_SIZE). */
  convert: (v: number) => number;
}
const id = (v: number) => v;
const ns = (v: number) => v / 1e6;

export const VM_CONTRACT: Record<string, Contract> = {
  'cpu-usage': { metric: 'elf_vm_cpu_overall_usage_percent', unit: '%', convert: id },
  'cpu-ready': { metric: 'elf_vm_cpu_overall_steal_time_percent', unit: '%', convert: id },
  'memory-usage': { metric: 'elf_vm_memory_usage_percent', unit: '%', convert: id },
  'disk-read-iops': { metric: 'elf_vm_disk_overall_read_iops', unit: 'ops/s', convert: id },
  'disk-write-iops': { metric: 'elf_vm_disk_overall_write_iops', unit: 'ops/s', convert: id },
  'disk-latency': { metric: 'elf_vm_disk_overall_avg_readwrite_latency_ns', unit: 'ms', convert: ns },
  'disk-read-latency': { metric: 'elf_vm_disk_overall_avg_read_latency_ns', unit: 'ms', convert: ns },
  'disk-write-latency': { metric: 'elf_vm_disk_overall_avg_write_latency_ns', unit: 'ms', convert: ns },
  'disk-throughput': { metric: 'elf_vm_disk_overall_readwrite_speed_bps', unit: 'B/s', convert: id },
  'disk-read-throughput': { metric: 'elf_vm_disk_overall_read_speed_bps', unit: 'B/s', convert: id },
  'disk-write-throughput': { metric: 'elf_vm_disk_overall_write_speed_bps', unit: 'B/s', convert: id },
};
/** Per NIC in bits/s, summed over the VM's NICs, → bytes/s. */
export const NIC_CONTRACT: Record<string, string> = {
  'network-rx': 'elf_vm_network_receive_speed_bitps',
  'network-tx': 'elf_vm_network_transmit_speed_bitps',
};
export const POOL_CONTRACT: Record<string, Contract> = {
  'memory-usage': { metric: 'cluster_memory_usage_percent', unit: '%', convert: id },
  'disk-read-iops': { metric: 'zbs_cluster_read_iops', unit: 'ops/s', convert: id },
  'disk-write-iops': { metric: 'zbs_cluster_write_iops', unit: 'ops/s', convert: id },
  'disk-latency': { metric: 'zbs_cluster_avg_readwrite_latency_ns', unit: 'ms', convert: ns },
  'disk-read-latency': { metric: 'zbs_cluster_avg_read_latency_ns', unit: 'ms', convert: ns },
  'disk-write-latency': { metric: 'zbs_cluster_avg_write_latency_ns', unit: 'ms', convert: ns },
  'disk-throughput': { metric: 'zbs_cluster_readwrite_speed_bps', unit: 'B/s', convert: id },
  'disk-read-throughput': { metric: 'zbs_cluster_read_speed_bps', unit: 'B/s', convert: id },
  'disk-write-throughput': { metric: 'zbs_cluster_write_speed_bps', unit: 'B/s', convert: id },
  'storage-used': { metric: 'zbs_cluster_used_data_space_bytes', unit: 'B', convert: id },
  'storage-capacity': { metric: 'zbs_cluster_data_capacity_bytes', unit: 'B', convert: id },
};
export const HOST_CONTRACT: Record<string, Contract> = {
  'cpu-usage': { metric: 'host_cpu_overall_usage_percent', unit: '%', convert: id },
  'memory-usage': { metric: 'host_memory_usage_percent', unit: '%', convert: id },
};

export const VM_NAMES = [...Object.keys(VM_CONTRACT), ...Object.keys(NIC_CONTRACT)].sort();
export const POOL_NAMES = [...Object.keys(POOL_CONTRACT), 'cpu-usage', 'storage-usage'].sort();
export const HOST_NAMES = Object.keys(HOST_CONTRACT).sort();

const ref = (row: Row, f: string) => (row[f] as { id: string } | null)?.id;

/** Every point the subjects must yield in the window (the simulator's step is 30 s for short ranges). */
export function expectedLines(
  sim: CloudTowerSimulator,
  window: TimeWindow,
  subjects: { vms?: string[]; clusters?: string[]; hosts?: string[] },
  options: { clusterCpu?: boolean } = {},
): string[] {
  const world = sim.world;
  const times: number[] = [];
  for (let t = Math.ceil(window.start.getTime() / 30_000) * 30_000; t < window.end.getTime(); t += 30_000)
    times.push(t);
  const clusters = new Map(world.clusters.map((c) => [c.id as string, c]));
  const live = (clusterId: string | undefined) =>
    clusters.get(clusterId as string)?.connect_state === 'CONNECTED';
  const out: string[] = [];
  const value = (metric: string, localId: string, t: number) => sim.metricValue(metric, localId, t);

  for (const vmId of subjects.vms ?? []) {
    const vm = world.vms.find((v) => v.id === vmId)!;
    const cluster = clusters.get(ref(vm, 'cluster') as string);
    if (vm.status !== 'RUNNING' || !live(ref(vm, 'cluster')) || cluster?.hypervisor !== 'ELF') continue;
    const nics = world['vm-nics'].filter((n) => ref(n, 'vm') === vmId);
    for (const t of times) {
      for (const [name, c] of Object.entries(VM_CONTRACT)) {
        const v = value(c.metric, vm.local_id as string, t);
        if (v !== null) out.push(line(vmId, name, c.unit, c.convert(v), t));
      }
      for (const [name, metric] of Object.entries(NIC_CONTRACT)) {
        const per = nics.map((n) => value(metric, n.mac_address as string, t));
        if (per.length > 0 && per.every((v) => v !== null))
          out.push(line(vmId, name, 'B/s', (per as number[]).reduce((a, b) => a + b, 0) / 8, t));
      }
    }
  }

  for (const clusterId of subjects.clusters ?? []) {
    const c = clusters.get(clusterId)!;
    if (c.connect_state !== 'CONNECTED') continue;
    const zbsOnly = c.type === 'SMTX_ZBS';
    const hosts = world.hosts.filter((h) => ref(h, 'cluster') === clusterId);
    for (const t of times) {
      for (const [name, k] of Object.entries(POOL_CONTRACT)) {
        if (zbsOnly && !k.metric.startsWith('zbs_')) continue;
        const v = value(k.metric, c.local_id as string, t);
        if (v !== null) out.push(line(clusterId, name, k.unit, k.convert(v), t));
      }
      const used = value('zbs_cluster_used_data_space_bytes', c.local_id as string, t);
      const cap = value('zbs_cluster_data_capacity_bytes', c.local_id as string, t);
      if (used !== null && cap !== null && cap > 0)
        out.push(line(clusterId, 'storage-usage', '%', (used / cap) * 100, t));
      if (options.clusterCpu && !zbsOnly) {
        const v = value('cluster_cpu_usage_percent', c.local_id as string, t);
        if (v !== null) out.push(line(clusterId, 'cpu-usage', '%', v, t));
        continue;
      }
      const per = hosts.map((h) => value('host_cpu_overall_usage_percent', h.local_id as string, t));
      const weight = hosts.reduce((a, h) => a + ((h.total_cpu_hz as number | null) ?? 0), 0);
      if (hosts.length > 0 && per.every((v) => v !== null) && weight > 0) {
        const sum = hosts.reduce(
          (a, h, i) => a + (per[i] as number) * ((h.total_cpu_hz as number | null) ?? 0),
          0,
        );
        out.push(line(clusterId, 'cpu-usage', '%', sum / weight, t));
      }
    }
  }

  for (const hostId of subjects.hosts ?? []) {
    const h = world.hosts.find((x) => x.id === hostId)!;
    if (!live(ref(h, 'cluster'))) continue;
    for (const t of times) {
      for (const [name, c] of Object.entries(HOST_CONTRACT)) {
        const v = value(c.metric, h.local_id as string, t);
        if (v !== null) out.push(line(hostId, name, c.unit, c.convert(v), t));
      }
    }
  }
  return out.sort();
}

export { line, mappedLines } from '../../helpers/metric-lines';
