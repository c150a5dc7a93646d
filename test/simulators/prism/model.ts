/**
 * The Prism simulator's estate: a deterministic model of clusters, hosts, VMs, disks, NICs, subnets,
 * volume groups and categories, built from a seed and a scale. The HTTP routes render it in the v4 and v3
 * shapes; tests read it back as ground truth. Nothing here knows about HTTP.
 */
import { Rng } from '../common/rng';

export const GiB = 2 ** 30;

export interface SimHost {
  extId: string;
  name: string;
  clusterId: string;
  cpuModel: string;
  cpuFrequencyHz: number;
  numberOfCpuSockets: number;
  numberOfCpuCores: number;
  numberOfCpuThreads: number;
  memorySizeBytes: number;
  ip: string;
  cvmIp: string;
  diskSizes: number[];
  /** Health (see ./alerts applyHealthVariety); absent = connected, normal, not degraded. */
  connectionState?: 'CONNECTED' | 'DISCONNECTED';
  hypervisorState?: string;
  maintenanceState?: string;
  inMaintenance?: boolean;
  isDegraded?: boolean;
}

export interface SimCluster {
  extId: string;
  name: string;
  /** The Prism Central pseudo-cluster (no hosts, no VMs of its own). */
  isPrismCentral: boolean;
  isAvailable: boolean;
  version: string;
  fullVersion: string;
  externalIp: string;
  redundancyFactor: number;
  storageCapacityBytes: number;
  createTime: string;
  /** Node failures tolerated now and wanted (absent = as desired). */
  faultTolerance?: { current: number; desired: number };
}

export interface SimSubnet {
  extId: string;
  name: string;
  type: 'VLAN' | 'OVERLAY';
  /** null for overlay subnets (they belong to a VPC, not a cluster). */
  clusterId: string | null;
  vlanId: number | null;
  networkIp: string;
  prefixLength: number;
  gateway: string;
  /** Next host number handed out (simulator bookkeeping). */
  nextHost: number;
  octets: [number, number];
  createTime: string;
}

export interface SimCategory {
  extId: string;
  key: string;
  value: string;
}

export type SimDisk =
  | { extId: string; kind: 'disk'; busType: string; index: number; sizeBytes: number; containerId: string }
  | {
      extId: string;
      kind: 'cdrom';
      busType: string;
      index: number;
      sizeBytes: number | null;
      containerId: string | null;
    }
  | { extId: string; kind: 'vg'; busType: string; index: number; volumeGroupId: string };

export interface SimNic {
  extId: string;
  macAddress: string;
  isConnected: boolean;
  subnetId: string;
  /** Static / assigned IPv4 addresses (first = primary). */
  assignedIps: string[];
  /** Learned addresses (DHCP / guest tools); may repeat an assigned one, may include IPv6 link-local. */
  learnedIps: string[];
}

export interface SimVm {
  extId: string;
  name: string;
  description: string;
  powerState: 'ON' | 'OFF' | 'PAUSED' | 'UNDETERMINED';
  numSockets: number;
  numCoresPerSocket: number;
  numThreadsPerCore: number;
  memorySizeBytes: number;
  clusterId: string;
  hostId: string | null;
  disks: SimDisk[];
  nics: SimNic[];
  categoryIds: string[];
  guestOsVersion: string | null;
  isAgentVm: boolean;
  createTime: string;
  updateTime: string;
}

export interface SimVolumeGroup {
  extId: string;
  name: string;
  clusterId: string;
  disks: { extId: string; index: number; sizeBytes: number; containerId: string }[];
  attachedVmIds: string[];
  createTime: string;
}

/** The whole estate. Arrays are in the order the API lists them. */
export interface PrismWorld {
  pcVersion: string;
  clusters: SimCluster[];
  hosts: SimHost[];
  subnets: SimSubnet[];
  categories: SimCategory[];
  vms: SimVm[];
  volumeGroups: SimVolumeGroup[];
}

export interface WorldScale {
  seed: number;
  vms: number;
  /** Real (AOS) clusters; the PC pseudo-cluster comes on top. Default 3. */
  clusters?: number;
  /**
   * A lone Prism Element (no Prism Central): one cluster, no PC pseudo-cluster, no PC VM and no overlay
   * subnets (those belong to PC's VPCs).
   */
  peOnly?: boolean;
}

const UNICODE_NAMES = ['数据库-主', 'Ünïcödé-web', 'сервер-приложений', 'エッジ-gw', 'façade-api', 'δοκιμή'];
const GUEST_OS = [
  'UbuntuLinux:64:22.04',
  'RHEL:64:9.2',
  'Windows:64:2022',
  'CentOS:64:7.9',
  'Windows:64:2019',
];
const CATEGORY_PAIRS: [string, string][] = [
  ['Environment', 'Production'],
  ['Environment', 'Staging'],
  ['Environment', 'Dev'],
  ['AppType', 'Web'],
  ['AppType', 'Database'],
  ['AppTier', 'Tier-1'],
  ['Owner', 'Équipe-Ω'],
  ['CostCenter', 'CC-1042'],
];
const CPU_MODELS: [string, number][] = [
  ['Intel(R) Xeon(R) Platinum 8151 CPU @ 3.40GHz', 3_400_000_000],
  ['Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz', 2_500_000_000],
  ['AMD EPYC 7543 32-Core Processor', 2_800_000_000],
];

function isoAt(base: number, minutes: number, micros: number): string {
  const d = new Date(base + minutes * 60_000);
  return `${d.toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

function mac(rng: Rng): string {
  const b = () => rng.int(0, 255).toString(16).padStart(2, '0');
  return `50:6b:8d:${b()}:${b()}:${b()}`;
}

/** Builds the estate deterministically from the seed and scale. */
export function buildWorld(scale: WorldScale): PrismWorld {
  const root = new Rng(scale.seed);
  const base = Date.UTC(2025, 0, 6, 8, 0, 0);
  const clusterCount = scale.peOnly ? 1 : (scale.clusters ?? 3);
  if (clusterCount < 1) throw new RangeError('at least one cluster');

  const crng = root.fork('clusters');
  const clusters: SimCluster[] = [];
  for (let c = 0; c < clusterCount; c++) {
    clusters.push({
      extId: crng.uuid(),
      name: c === 1 ? `cluster-ñ-${c + 1}` : `cluster-${c + 1}`,
      isPrismCentral: false,
      // The last of three or more clusters is disconnected: still a compute pool, its VMs still servers.
      isAvailable: !(clusterCount >= 3 && c === clusterCount - 1),
      version: '7.0',
      fullVersion: 'el8.5-release-ganges-7.0.1.9-stable-77c5ee17793c980a77ac811ef5a00526da1dfa2e',
      externalIp: `10.${c}.0.25`,
      redundancyFactor: c === 0 ? 1 : 2,
      storageCapacityBytes: (20 + c * 5) * 1024 * GiB,
      createTime: isoAt(base, -100_000 + c, 0),
    });
  }
  // The PC pseudo-cluster is listed after the real ones, as in the fixture.
  if (!scale.peOnly)
    clusters.push({
      extId: crng.uuid(),
      name: 'Unnamed',
      isPrismCentral: true,
      isAvailable: true,
      version: '7.3',
      fullVersion: 'el8.5-release-ganges-7.3-stable-1db507847ce4c9922de2ebdb6b6f70fef6afb77b',
      externalIp: '10.250.0.197',
      redundancyFactor: 1,
      storageCapacityBytes: 0,
      createTime: isoAt(base, -90_000, 0),
    });
  const realClusters = clusters.filter((c) => !c.isPrismCentral);

  const hrng = root.fork('hosts');
  const hosts: SimHost[] = [];
  realClusters.forEach((cluster, c) => {
    const [cpuModel, freq] = CPU_MODELS[c % CPU_MODELS.length]!;
    const count = 3 + (c % 2);
    for (let h = 0; h < count; h++) {
      const cores = hrng.pick([16, 24, 32]);
      hosts.push({
        extId: hrng.uuid(),
        name: `ahv-${c + 1}-${h + 1}`,
        clusterId: cluster.extId,
        cpuModel,
        cpuFrequencyHz: freq,
        numberOfCpuSockets: 2,
        numberOfCpuCores: cores,
        numberOfCpuThreads: cores * 2,
        memorySizeBytes: hrng.pick([256, 384, 512]) * GiB,
        ip: `10.${c}.1.${10 + h}`,
        cvmIp: `10.${c}.1.${100 + h}`,
        diskSizes: [1, 2, 3, 4].map(() => hrng.int(1800, 1920) * GiB),
      });
    }
  });

  const srng = root.fork('subnets');
  const subnets: SimSubnet[] = [];
  let subnetIndex = 0;
  for (const cluster of realClusters) {
    for (let k = 0; k < 3; k++) {
      const a = 10;
      const b = 16 + subnetIndex;
      subnets.push({
        extId: srng.uuid(),
        name: k === 2 ? `vlan-${100 + subnetIndex}-ü` : `vlan-${100 + subnetIndex}`,
        type: 'VLAN',
        clusterId: cluster.extId,
        vlanId: 100 + subnetIndex,
        networkIp: `${a}.${b}.0.0`,
        prefixLength: 16,
        gateway: `${a}.${b}.0.1`,
        nextHost: 10,
        octets: [a, b],
        createTime: isoAt(base, -80_000 + subnetIndex, 0),
      });
      subnetIndex++;
    }
  }
  for (let k = 0; k < (scale.peOnly ? 0 : 2); k++) {
    subnets.push({
      extId: srng.uuid(),
      name: `overlay-${k + 1}`,
      type: 'OVERLAY',
      clusterId: null,
      vlanId: null,
      networkIp: `192.${168 - k}.0.0`,
      prefixLength: 16,
      gateway: `192.${168 - k}.0.1`,
      nextHost: 10,
      octets: [192, 168 - k],
      createTime: isoAt(base, -70_000 + k, 0),
    });
  }

  const grng = root.fork('categories');
  const categories: SimCategory[] = CATEGORY_PAIRS.map(([key, value]) => ({
    extId: grng.uuid(),
    key,
    value,
  }));

  const world: PrismWorld = {
    pcVersion: 'pc.2024.3.0.1',
    clusters,
    hosts,
    subnets,
    categories,
    vms: [],
    volumeGroups: [],
  };

  const vrng = root.fork('vms');
  // The Prism Central VM itself is a VM of the first cluster (a lone PE has none).
  if (!scale.peOnly) world.vms.push(makeVm(world, vrng, 0, base, { pcVm: true }));
  for (let i = scale.peOnly ? 0 : 1; i < scale.vms; i++) world.vms.push(makeVm(world, vrng, i, base));

  const grngVg = root.fork('volume-groups');
  // About one volume group per 200 VMs: each costs two detail calls, so they stay a small share of requests.
  const vgCount = Math.max(1, Math.floor(scale.vms / 200));
  for (let g = 0; g < vgCount; g++) addVolumeGroup(world, grngVg, g, base);
  return world;
}

function nextIp(subnet: SimSubnet): string {
  const n = subnet.nextHost++;
  return `${subnet.octets[0]}.${subnet.octets[1]}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}

/** A new VM (index-based name) in the estate; not yet added to `world.vms`. */
export function makeVm(
  world: PrismWorld,
  rng: Rng,
  i: number,
  base: number,
  opts: { pcVm?: boolean } = {},
): SimVm {
  const realClusters = world.clusters.filter((c) => !c.isPrismCentral);
  const cluster = opts.pcVm ? realClusters[0]! : rng.pick(realClusters);
  const clusterHosts = world.hosts.filter((h) => h.clusterId === cluster.extId);
  const roll = rng.next();
  const powerState: SimVm['powerState'] = opts.pcVm
    ? 'ON'
    : roll < 0.78
      ? 'ON'
      : roll < 0.94
        ? 'OFF'
        : roll < 0.99
          ? 'PAUSED'
          : 'UNDETERMINED';
  const extId = rng.uuid();
  const disks: SimDisk[] = [];
  const diskCount = opts.pcVm ? 3 : rng.int(1, 3);
  const containerId = `${cluster.extId.slice(0, 8)}-0000-4000-8000-00000000c0de`;
  for (let d = 0; d < diskCount; d++) {
    disks.push({
      extId: rng.uuid(),
      kind: 'disk',
      busType: 'SCSI',
      index: d,
      sizeBytes:
        rng.pick([10, 20, 40, 50, 100, 250, 500]) * GiB +
        (rng.chance(0.2) ? rng.int(1, 1023) * 1024 * 1024 : 0),
      containerId,
    });
  }
  const cdroms = rng.chance(0.5) ? rng.int(1, 2) : 0;
  for (let d = 0; d < cdroms; d++) {
    const loaded = rng.chance(0.5);
    disks.push({
      extId: rng.uuid(),
      kind: 'cdrom',
      busType: rng.pick(['IDE', 'SATA']),
      index: d,
      sizeBytes: loaded ? rng.int(300_000, 5_000_000) : null,
      containerId: loaded ? containerId : null,
    });
  }
  const clusterSubnets = world.subnets.filter((s) => s.clusterId === cluster.extId || s.clusterId === null);
  const nicCount = opts.pcVm ? 1 : rng.chance(0.1) ? 0 : rng.int(1, 2);
  const nics: SimNic[] = [];
  for (let n = 0; n < nicCount; n++) {
    const subnet = rng.pick(clusterSubnets);
    const assignedIps: string[] = [];
    const learnedIps: string[] = [];
    const mode = rng.next();
    if (mode < 0.55) {
      assignedIps.push(nextIp(subnet));
      if (rng.chance(0.1)) assignedIps.push(nextIp(subnet));
      // Guest tools often report the static address again as learned: must be de-duplicated.
      if (powerState === 'ON' && rng.chance(0.5)) learnedIps.push(assignedIps[0]!);
    } else if (mode < 0.9) {
      if (powerState === 'ON') learnedIps.push(nextIp(subnet));
    }
    // else: a NIC with no address at all.
    if (powerState === 'ON' && rng.chance(0.15)) {
      learnedIps.push(`fe80::${rng.int(1, 0xffff).toString(16)}:${rng.int(1, 0xffff).toString(16)}`);
    }
    nics.push({
      extId: rng.uuid(),
      macAddress: mac(rng),
      isConnected: rng.chance(0.95),
      subnetId: subnet.extId,
      assignedIps,
      learnedIps,
    });
  }
  const categoryIds: string[] = [];
  const usedKeys = new Set<string>();
  const catCount = rng.int(0, 2);
  for (let k = 0; k < catCount; k++) {
    const cat = rng.pick(world.categories);
    if (usedKeys.has(cat.key)) continue;
    usedKeys.add(cat.key);
    categoryIds.push(cat.extId);
  }
  const running = powerState === 'ON' || powerState === 'PAUSED';
  const unicode = !opts.pcVm && rng.chance(0.03);
  return {
    extId,
    name: opts.pcVm
      ? 'PC-OptionName-1'
      : unicode
        ? `${rng.pick(UNICODE_NAMES)}-${i}`
        : `vm-${String(i).padStart(5, '0')}`,
    description: opts.pcVm ? 'NutanixPrismCentral' : rng.chance(0.3) ? `workload ${i}` : '',
    powerState,
    numSockets: opts.pcVm ? 6 : rng.int(1, 4),
    numCoresPerSocket: opts.pcVm ? 1 : rng.pick([1, 1, 2]),
    numThreadsPerCore: 1,
    memorySizeBytes: (opts.pcVm ? 28 : rng.pick([1, 2, 4, 8, 16, 32])) * GiB,
    clusterId: cluster.extId,
    hostId: running && clusterHosts.length > 0 ? rng.pick(clusterHosts).extId : null,
    disks,
    nics,
    categoryIds,
    guestOsVersion: rng.chance(0.6) ? rng.pick(GUEST_OS) : null,
    isAgentVm: false,
    createTime: isoAt(base, i, rng.int(0, 999_999)),
    updateTime: isoAt(base, i + 60, rng.int(0, 999_999)),
  };
}

/** Adds a volume group on a random cluster, attached to 0–3 of its VMs (adds the VG disks to them). */
export function addVolumeGroup(world: PrismWorld, rng: Rng, g: number, base: number): SimVolumeGroup {
  const realClusters = world.clusters.filter((c) => !c.isPrismCentral);
  const cluster = rng.pick(realClusters);
  const diskCount = rng.int(1, 3);
  const disks = Array.from({ length: diskCount }, (_, index) => ({
    extId: rng.uuid(),
    index,
    sizeBytes: rng.pick([50, 100, 200, 1024]) * GiB,
    containerId: `${cluster.extId.slice(0, 8)}-0000-4000-8000-00000000c0de`,
  }));
  const candidates = world.vms.filter((v) => v.clusterId === cluster.extId);
  const attachCount = candidates.length === 0 ? 0 : rng.pick([0, 1, 1, 1, 2, 3]);
  const attachedVmIds: string[] = [];
  for (let a = 0; a < attachCount; a++) {
    const vm = rng.pick(candidates);
    if (attachedVmIds.includes(vm.extId)) continue;
    attachedVmIds.push(vm.extId);
  }
  const vg: SimVolumeGroup = {
    extId: rng.uuid(),
    name: `vg-${g + 1}${g % 7 === 3 ? '-ß' : ''}`,
    clusterId: cluster.extId,
    disks,
    attachedVmIds,
    createTime: isoAt(base, -50_000 + g, 0),
  };
  for (const vmId of attachedVmIds) {
    const vm = world.vms.find((v) => v.extId === vmId)!;
    const index = vm.disks.filter((d) => d.busType === 'SCSI').length;
    vm.disks.push({ extId: rng.uuid(), kind: 'vg', busType: 'SCSI', index, volumeGroupId: vg.extId });
  }
  world.volumeGroups.push(vg);
  return vg;
}

/** Removes a VM and its volume-group attachments (what deleting it in Prism does). */
export function removeVm(world: PrismWorld, extId: string): void {
  world.vms = world.vms.filter((v) => v.extId !== extId);
  for (const vg of world.volumeGroups) vg.attachedVmIds = vg.attachedVmIds.filter((id) => id !== extId);
}
