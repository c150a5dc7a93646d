/**
 * The simulated CloudTower estate: generated deterministically from a seed and a VM count, shaped like
 * the 4.6.0 schemas (field names, enums, nesting, units: bytes, Hz, ISO times). Each collection is kept
 * sorted by `id` so `orderBy: id_ASC` paging is cheap at 10,000+ VMs.
 */
import { Rng } from '../common';

export type Row = Record<string, unknown>;

/** Every collection the simulator serves, keyed by the plural used in `get-<plural>`. */
export interface CloudTowerWorld {
  organizations: Row[];
  datacenters: Row[];
  clusters: Row[];
  hosts: Row[];
  vms: Row[];
  'vm-disks': Row[];
  'vm-volumes': Row[];
  'vm-nics': Row[];
  vdses: Row[];
  vlans: Row[];
  alerts: Row[];
  /** Physical disks of hosts (filled by ./alerts addDisksAndHostHealth). */
  disks: Row[];
}

export type Collection = keyof CloudTowerWorld;

/** How the estate is shaped. */
export interface WorldOptions {
  seed: number;
  vms: number;
  /** Clusters hosting VMs (ELF + VMware + disconnected); default scales with `vms`. The ZBS one is extra. */
  vmClusters?: number;
}

const GiB = 1024 ** 3;
const BASE_TIME = Date.UTC(2024, 0, 15, 8, 0, 0);
const STATUS_WEIGHTS: [string, number][] = [
  ['RUNNING', 0.7],
  ['STOPPED', 0.2],
  ['SUSPENDED', 0.05],
  ['UNKNOWN', 0.05],
];
const OS_CHOICES: [string, string][] = [
  ['LINUX', 'CentOS Linux 7 (Core)'],
  ['LINUX', 'Ubuntu 22.04.4 LTS'],
  ['LINUX', 'Rocky Linux 9.3 (Blue Onyx)'],
  ['WINDOWS', 'Microsoft Windows Server 2019 Datacenter'],
  ['WINDOWS', 'Microsoft Windows Server 2022 Standard'],
];
const SYSTEM_USAGES = [
  'CLOUDTOWER',
  'SKS_MANAGEMENT',
  'BACKUP_CONTROLLER',
  'EVEROUTE_CONTROLLER',
  'REGISTRY',
];

/** Generates CloudTower-style cuids: `cl` + 23 base-36 characters, deterministic from the RNG. */
export function makeCuid(rng: Rng): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let out = 'cl';
  for (let i = 0; i < 23; i++) out += alphabet[rng.int(0, 35)];
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function byId(a: Row, b: Row): number {
  const x = a.id as string;
  const y = b.id as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

function weighted(rng: Rng, table: [string, number][]): string {
  let r = rng.next();
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return (table[table.length - 1] as [string, number])[0];
}

function mac(rng: Rng): string {
  const parts = ['52', '54', '00'];
  for (let i = 0; i < 3; i++) parts.push(rng.int(0, 255).toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Mutable generator state: the world plus the RNG and per-cluster helpers used to add VMs later. */
export class WorldBuilder {
  readonly rng: Rng;
  readonly world: CloudTowerWorld = {
    organizations: [],
    datacenters: [],
    clusters: [],
    hosts: [],
    vms: [],
    'vm-disks': [],
    'vm-volumes': [],
    'vm-nics': [],
    vdses: [],
    vlans: [],
    alerts: [],
    disks: [],
  };
  private readonly vmClusters: Row[] = [];
  private readonly hostsByCluster = new Map<string, Row[]>();
  private readonly vmVlansByCluster = new Map<string, Row[]>();
  private readonly sharedVolumesByCluster = new Map<string, Row[]>();
  private vmSerial = 0;
  private ipSerial = 0;

  constructor(readonly options: WorldOptions) {
    this.rng = new Rng(options.seed);
  }

  /** Builds the full estate. */
  build(): CloudTowerWorld {
    const { rng } = this;
    const org = { id: makeCuid(rng), name: 'SMTX', datacenters: [] as Row[] };
    this.world.organizations.push(org);
    const dcs = ['dc-east', 'dc-west'].map((name) => {
      const dc: Row = {
        id: makeCuid(rng),
        name,
        organization: { id: org.id, name: org.name },
        clusters: [] as Row[],
        cluster_num: 0,
        labels: [],
      };
      org.datacenters.push({ id: dc.id, name });
      this.world.datacenters.push(dc);
      return dc;
    });

    const vmClusterCount = Math.max(3, this.options.vmClusters ?? Math.ceil(this.options.vms / 1000));
    // Layout: [ELF…, VMware, disconnected ELF] host VMs; one SMTX_ZBS storage-only cluster has none.
    for (let i = 0; i < vmClusterCount; i++) {
      const kind = i === vmClusterCount - 2 ? 'vmware' : i === vmClusterCount - 1 ? 'disconnected' : 'elf';
      const dc = dcs[i % dcs.length] as Row;
      const cluster = this.addCluster(`cluster-${kind}-${String(i + 1).padStart(2, '0')}`, kind, dc);
      this.vmClusters.push(cluster);
    }
    this.addCluster('cluster-zbs-01', 'zbs', dcs[0] as Row);
    // A cluster in no datacenter exercises the "0..n datacenters" location case.
    if (vmClusterCount >= 4) {
      const first = this.vmClusters[0] as Row;
      first.datacenters = [];
      for (const dc of dcs) dc.clusters = (dc.clusters as Row[]).filter((c) => c.id !== first.id);
    }

    for (let i = 0; i < this.options.vms; i++) this.addVm();
    this.addAlerts();
    this.finish();
    return this.world;
  }

  private addCluster(name: string, kind: 'elf' | 'vmware' | 'disconnected' | 'zbs', dc: Row): Row {
    const { rng } = this;
    const hostCount = rng.int(3, 5);
    const hzPerCore = [2_100_000_000, 2_400_000_000, 2_900_000_000][rng.int(0, 2)] as number;
    const coresPerHost = [32, 48, 64][rng.int(0, 2)] as number;
    const memPerHost = ([256, 384, 512][rng.int(0, 2)] as number) * GiB;
    const diskPerHost = rng.int(8, 24) * 1024 * GiB;
    const localId = rng.uuid();
    const cluster: Row = {
      id: makeCuid(rng),
      local_id: localId,
      name,
      ip: `10.${rng.int(0, 200)}.${rng.int(0, 250)}.10`,
      version: kind === 'vmware' ? '5.0.7' : '5.1.2',
      type: kind === 'zbs' ? 'SMTX_ZBS' : 'SMTX_OS',
      hypervisor: kind === 'zbs' ? null : kind === 'vmware' ? 'VMWARE' : 'ELF',
      architecture: 'X86_64',
      connect_state: kind === 'disconnected' ? 'DISCONNECTED' : 'CONNECTED',
      disconnected_date: kind === 'disconnected' ? iso(BASE_TIME + 86_400_000) : null,
      disconnected_reason: kind === 'disconnected' ? 'LOAD_CLUSTER_NETWORK_ERROR' : null,
      total_cpu_cores: kind === 'zbs' ? null : hostCount * coresPerHost,
      total_cpu_sockets: kind === 'zbs' ? null : hostCount * 2,
      total_cpu_hz: kind === 'zbs' ? null : hostCount * coresPerHost * hzPerCore,
      used_cpu_hz: kind === 'zbs' ? null : hostCount * coresPerHost * hzPerCore * 0.2,
      total_memory_bytes: kind === 'zbs' ? null : hostCount * memPerHost,
      used_memory_bytes: kind === 'zbs' ? null : hostCount * memPerHost * 0.45,
      total_data_capacity: hostCount * diskPerHost,
      used_data_space: Math.round(hostCount * diskPerHost * 0.3),
      valid_data_space: hostCount * diskPerHost,
      failure_data_space: 0,
      total_cache_capacity: hostCount * 2 * 1024 * GiB,
      host_num: hostCount,
      vm_num: 0,
      running_vm_num: 0,
      stopped_vm_num: 0,
      suspended_vm_num: 0,
      datacenters: [{ id: dc.id, name: dc.name }],
      hosts: [] as Row[],
      vdses: [] as Row[],
      zones: [],
      labels: [],
      license_type: 'SUBSCRIPTION',
      software_edition: 'ENTERPRISE',
      stretch: false,
      witness: null,
      dns: ['10.0.0.2'],
      ntp_servers: ['10.0.0.3'],
      ntp_mode: 'EXTERNAL',
      recommended_cpu_models: [],
      total_cpu_models: [],
      entityAsyncStatus: null,
    };
    (dc.clusters as Row[]).push({ id: cluster.id, name });
    this.world.clusters.push(cluster);

    const hosts: Row[] = [];
    for (let h = 0; h < hostCount; h++) {
      const mgmt = `${String(cluster.ip).replace(/\.10$/, '')}.${11 + h}`;
      const host: Row = {
        id: makeCuid(rng),
        local_id: rng.uuid(),
        name: `${name}-node-${h + 1}`,
        cluster: { id: cluster.id, name },
        management_ip: mgmt,
        data_ip: mgmt.replace(/^10\./, '10.1'),
        status: kind === 'disconnected' ? 'SESSION_EXPIRED' : 'CONNECTED_HEALTHY',
        state: 'IN_USE',
        cpu_model: 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz',
        cpu_brand: 'Intel',
        total_cpu_cores: coresPerHost,
        total_cpu_sockets: 2,
        cpu_hz_per_core: hzPerCore,
        total_cpu_hz: coresPerHost * hzPerCore,
        used_cpu_hz: coresPerHost * hzPerCore * 0.2,
        total_memory_bytes: memPerHost,
        used_memory_bytes: memPerHost * 0.45,
        os_memory_bytes: 32 * GiB,
        allocatable_memory_bytes: memPerHost - 32 * GiB,
        running_pause_vm_memory_bytes: 0,
        provisioned_memory_bytes: 0,
        provisioned_cpu_cores: 0,
        total_data_capacity: diskPerHost,
        used_data_space: Math.round(diskPerHost * 0.3),
        failure_data_space: 0,
        ssd_data_capacity: 2 * 1024 * GiB,
        hdd_data_capacity: diskPerHost - 2 * 1024 * GiB,
        nic_count: 4,
        vm_num: 0,
        running_vm_num: 0,
        stopped_vm_num: 0,
        suspended_vm_num: 0,
        model: 'SMTX HCI',
        serial: `SN${rng.int(100000, 999999)}`,
        os_version: 'el7',
        zone: null,
        labels: [],
        nics: [],
        disks: [],
        cpu_temperature_celsius: [45, 47],
        cpu_fan_speed: [],
        chunk_id: String(h + 1),
        compatible_cpu_models: [],
        nested_virtualization: false,
        lsm_cap_disk_safe_umount: true,
        ssd_disk_count: 2,
        hdd_disk_count: 4,
        pmem_dimm_capacity: 0,
        pmem_dimm_count: 0,
        pmem_disk_count: 0,
        entityAsyncStatus: null,
      };
      hosts.push(host);
      this.world.hosts.push(host);
      (cluster.hosts as Row[]).push({ id: host.id, name: host.name, management_ip: mgmt });
    }
    this.hostsByCluster.set(cluster.id as string, hosts);

    const vmVlans: Row[] = [];
    for (const vdsKind of kind === 'zbs' ? ['STORAGE'] : ['VM', 'MANAGEMENT']) {
      const vds: Row = {
        id: makeCuid(rng),
        local_id: rng.uuid(),
        name: `${name}-vds-${vdsKind.toLowerCase()}`,
        cluster: { id: cluster.id, name },
        type: vdsKind,
        bond_mode: 'active-backup',
        ovsbr_name: `ovsbr-${vdsKind.toLowerCase()}`,
        work_mode: null,
        internal: vdsKind !== 'VM',
        nics: [],
        vlans: [] as Row[],
        vlans_num: 0,
        labels: [],
        entityAsyncStatus: null,
      };
      this.world.vdses.push(vds);
      (cluster.vdses as Row[]).push({ id: vds.id, name: vds.name });
      const vlanTypes =
        vdsKind === 'VM'
          ? ['VM', 'VM', 'VM', 'VM']
          : vdsKind === 'MANAGEMENT'
            ? ['MANAGEMENT', 'MIGRATION']
            : ['STORAGE'];
      vlanTypes.forEach((type, n) => {
        const tag = vdsKind === 'VM' ? 100 + n * 10 + rng.int(0, 9) : 0;
        const vlan: Row = {
          id: makeCuid(rng),
          local_id: `${localId}_${rng.uuid()}`,
          name: type === 'VM' ? `vm-network-${tag}` : `${type.toLowerCase()}-network`,
          vlan_id: tag,
          type,
          mode_type: 'VLAN_ACCESS',
          network_ids: [],
          vds: { id: vds.id, name: vds.name },
          gateway_ip: null,
          subnetmask: null,
          gateway_subnetmask: null,
          qos_priority: null,
          qos_min_bandwidth: null,
          qos_max_bandwidth: null,
          qos_burst: null,
          vm_nics: [] as Row[],
          labels: [],
          entityAsyncStatus: null,
        };
        this.world.vlans.push(vlan);
        (vds.vlans as Row[]).push({ id: vlan.id, name: vlan.name });
        vds.vlans_num = (vds.vlans as Row[]).length;
        if (type === 'VM') vmVlans.push(vlan);
      });
    }
    this.vmVlansByCluster.set(cluster.id as string, vmVlans);

    if (kind === 'elf' || kind === 'disconnected') {
      // A few multi-attach (shared) volumes per ELF cluster, mounted by several VMs as they are added.
      const shared: Row[] = [];
      for (let s = 0; s < 2; s++) {
        const vol = this.newVolume(cluster, `${name}-shared-${s + 1}`, rng.int(1, 4) * 256 * GiB, true);
        shared.push(vol);
      }
      // One detached volume (mounted by nothing) per ELF cluster.
      this.newVolume(cluster, `${name}-detached-1`, 50 * GiB, false);
      this.sharedVolumesByCluster.set(cluster.id as string, shared);
    }
    return cluster;
  }

  private newVolume(cluster: Row, name: string, size: number, sharing: boolean): Row {
    const { rng } = this;
    const vol: Row = {
      id: makeCuid(rng),
      local_id: rng.uuid(),
      name,
      description: null,
      size,
      path: `iscsi://iqn.2016-02.com.smartx:system:zbs-iscsi-datastore/${rng.int(1, 99999)}`,
      sharing,
      mounting: false,
      elf_storage_policy: weighted(rng, [
        ['REPLICA_2_THIN_PROVISION', 0.7],
        ['REPLICA_3_THIN_PROVISION', 0.2],
        ['REPLICA_2_THICK_PROVISION', 0.1],
      ]),
      type: 'KVM_VOLUME',
      cluster: { id: cluster.id, name: cluster.name },
      vm_disks: [] as Row[],
      unique_size: Math.round(size * 0.3),
      unique_logical_size: null,
      used_size: Math.round(size * 0.35),
      used_size_usage: 35,
      guest_used_size: null,
      guest_size_usage: null,
      local_created_at: iso(BASE_TIME + rng.int(0, 300) * 86_400_000),
      labels: [],
      lun: null,
      entityAsyncStatus: null,
    };
    this.world['vm-volumes'].push(vol);
    return vol;
  }

  private nextIp(): string {
    const n = this.ipSerial++;
    return `10.${20 + ((n >> 16) & 0x3f)}.${(n >> 8) & 0xff}.${n & 0xff}`;
  }

  /** Adds one VM with its disks, volumes and NICs; returns it. Used at build time and for churn. */
  addVm(): Row {
    const { rng } = this;
    const cluster = rng.pick(this.vmClusters);
    const clusterId = cluster.id as string;
    const isVmware = cluster.hypervisor === 'VMWARE';
    const serial = this.vmSerial++;
    const recycled = rng.chance(0.02);
    const systemUsage = !recycled && rng.chance(0.005) ? rng.pick(SYSTEM_USAGES) : null;
    const status = recycled ? 'STOPPED' : weighted(rng, STATUS_WEIGHTS);
    const placed = status === 'RUNNING' || status === 'SUSPENDED';
    const host = placed ? rng.pick(this.hostsByCluster.get(clusterId) ?? []) : null;
    const [guestType, osName] = rng.chance(0.85) ? rng.pick(OS_CHOICES) : ['UNKNOWN', null];
    const sockets = rng.pick([1, 2]);
    const cores = rng.pick([1, 2, 4, 8]);
    const name = systemUsage
      ? `${systemUsage.toLowerCase().replace(/_/g, '-')}-${serial}`
      : `vm-${String(serial).padStart(5, '0')}`;
    const vm: Row = {
      id: makeCuid(rng),
      local_id: rng.uuid(),
      name,
      description: '',
      status,
      vcpu: sockets * cores,
      cpu: { sockets, cores },
      memory: rng.pick([1, 2, 4, 8, 16, 32]) * GiB,
      cpu_usage: status === 'RUNNING' ? rng.int(1, 900) / 10 : null,
      memory_usage: status === 'RUNNING' ? rng.int(50, 950) / 10 : null,
      cluster: { id: clusterId, name: cluster.name },
      host: host ? { id: host.id, name: host.name, management_ip: host.management_ip } : null,
      ips: '',
      guest_os_type: guestType,
      os: osName,
      hostname: status === 'RUNNING' && osName ? name : null,
      kernel_info: null,
      dns_servers: null,
      vm_tools_status: status === 'RUNNING' && osName ? 'RUNNING' : 'NOT_INSTALLED',
      vm_disks: [] as Row[],
      vm_nics: [] as Row[],
      in_recycle_bin: recycled,
      deleted_at: recycled ? iso(BASE_TIME + 200 * 86_400_000) : null,
      internal: systemUsage !== null,
      vm_usage: systemUsage,
      local_created_at: iso(BASE_TIME + rng.int(0, 365 * 24) * 3_600_000),
      last_shutdown_time: null,
      labels: rng.chance(0.3)
        ? [{ id: makeCuid(rng), key: 'env', value: rng.pick(['prod', 'dev', 'test']) }]
        : [],
      folder: null,
      ha: true,
      firmware: rng.pick(['BIOS', 'UEFI']),
      cpu_model: 'cluster_default',
      clock_offset: 'UTC',
      video_type: 'CIRRUS',
      win_opt: false,
      nested_virtualization: false,
      protected: false,
      node_ip: host ? host.management_ip : '',
      provisioned_size: 0,
      size: null,
      unique_size: null,
      logical_size_bytes: null,
      unique_logical_size: null,
      used_size: null,
      used_size_usage: null,
      guest_used_size: null,
      guest_size_usage: null,
      entityAsyncStatus: null,
      gpu_devices: [],
      usb_devices: [],
      pci_nics: [],
      snapshots: [],
      vm_placement_group: [],
      isolation_policy: null,
      backup_plans: [],
      snapshot_plan: null,
      out_uninstall_usb: [],
    };
    this.world.vms.push(vm);

    let provisioned = 0;
    // VMware-hosted VMs have no ELF vm-volumes (CloudTower does not manage their storage) [unverified].
    if (!isVmware) {
      const diskCount = rng.int(1, 3);
      let boot = 1;
      for (let d = 0; d < diskCount; d++) {
        const size = (d === 0 ? rng.pick([20, 40, 80]) : rng.pick([50, 100, 200, 500])) * GiB;
        const vol = this.newVolume(cluster, `${name}-disk-${d + 1}`, size, false);
        this.attach(vm, vol, boot++, d);
        provisioned += size;
      }
      const shared = this.sharedVolumesByCluster.get(clusterId) ?? [];
      if (shared.length > 0 && rng.chance(0.02)) {
        const vol = rng.pick(shared);
        this.attach(vm, vol, boot++, diskCount);
        provisioned += vol.size as number;
      }
      if (rng.chance(0.3)) this.addCdRom(vm, boot);
    }
    vm.provisioned_size = provisioned;

    const nicCount = rng.chance(0.15) ? 2 : rng.chance(0.03) ? 0 : 1;
    const ips: string[] = [];
    const vlans = this.vmVlansByCluster.get(clusterId) ?? [];
    for (let n = 0; n < nicCount; n++) {
      const vlan = rng.pick(vlans);
      const withIp = status === 'RUNNING' && rng.chance(0.8);
      const ip = withIp ? this.nextIp() : null;
      const nic: Row = {
        id: makeCuid(rng),
        local_id: `${vm.local_id}_${n}`,
        vm: { id: vm.id, name },
        vlan: { id: vlan.id, name: vlan.name },
        mac_address: mac(rng),
        ip_address: ip,
        subnet_mask: ip ? '255.255.0.0' : null,
        gateway: ip ? ip.replace(/\.\d+$/, '.1') : null,
        model: 'VIRTIO',
        type: 'VLAN',
        enabled: true,
        mirror: false,
        order: n,
        interface_id: null,
        nic: null,
        vpc_nic: null,
        ingress_rate_limit_enabled: false,
        ingress_rate_limit_max_rate_in_bitps: null,
        ingress_rate_limit_burst_in_bit: null,
        egress_rate_limit_enabled: false,
        egress_rate_limit_max_rate_in_bitps: null,
        egress_rate_limit_burst_in_bit: null,
      };
      this.world['vm-nics'].push(nic);
      (vm.vm_nics as Row[]).push({ id: nic.id });
      (vlan.vm_nics as Row[]).push({ id: nic.id });
      if (ip) ips.push(ip);
    }
    // VMTools reports guest addresses too: link-local v6 (must be dropped), sometimes a container bridge or
    // a global v6 address that no NIC record carries (learned only).
    if (vm.vm_tools_status === 'RUNNING') {
      if (ips.length > 0 && rng.chance(0.5))
        ips.push(`fe80::5054:ff:fe${rng.int(16, 255).toString(16)}:${rng.int(4096, 65535).toString(16)}`);
      if (rng.chance(0.1)) ips.push('172.17.0.1');
      if (rng.chance(0.05)) ips.push(`2001:db8::${rng.int(1, 65535).toString(16)}`);
      vm.ips = ips.join(',');
    }
    return vm;
  }

  private attach(vm: Row, vol: Row, boot: number, index: number): void {
    const disk: Row = {
      id: makeCuid(this.rng),
      vm: { id: vm.id, name: vm.name },
      type: 'DISK',
      bus: 'VIRTIO',
      boot,
      device: `vd${String.fromCharCode(97 + index)}`,
      serial: this.rng.uuid().replace(/-/g, '').slice(0, 12),
      key: index,
      disabled: false,
      vm_volume: { id: vol.id, name: vol.name },
      elf_image: null,
      svt_image: null,
      max_iops: null,
      max_iops_policy: null,
      max_bandwidth: null,
      max_bandwidth_policy: null,
      unsafe_provision: null,
    };
    this.world['vm-disks'].push(disk);
    (vm.vm_disks as Row[]).push({ id: disk.id });
    (vol.vm_disks as Row[]).push({ id: disk.id });
    vol.mounting = true;
  }

  private addCdRom(vm: Row, boot: number): void {
    const disk: Row = {
      id: makeCuid(this.rng),
      vm: { id: vm.id, name: vm.name },
      type: 'CD_ROM',
      bus: 'IDE',
      boot,
      device: 'hda',
      serial: null,
      key: boot,
      disabled: false,
      vm_volume: null,
      elf_image: this.rng.chance(0.5)
        ? { id: makeCuid(this.rng), name: 'CentOS-7-x86_64-Minimal.iso' }
        : null,
      svt_image: null,
      max_iops: null,
      max_iops_policy: null,
      max_bandwidth: null,
      max_bandwidth_policy: null,
      unsafe_provision: null,
    };
    this.world['vm-disks'].push(disk);
    (vm.vm_disks as Row[]).push({ id: disk.id });
  }

  /** Removes a VM with its disks, NICs and own (non-shared) volumes, as deleting it in the UI would. */
  removeVm(vmId: string): void {
    const w = this.world;
    const disks = w['vm-disks'].filter((d) => (d.vm as Row).id === vmId);
    const diskIds = new Set(disks.map((d) => d.id));
    const ownVolumeIds = new Set<unknown>(disks.map((d) => (d.vm_volume as Row | null)?.id));
    const nicIds = new Set(w['vm-nics'].filter((n) => (n.vm as Row).id === vmId).map((n) => n.id));
    w.vms = w.vms.filter((v) => v.id !== vmId);
    w['vm-disks'] = w['vm-disks'].filter((d) => !diskIds.has(d.id));
    w['vm-nics'] = w['vm-nics'].filter((n) => !nicIds.has(n.id));
    w['vm-volumes'] = w['vm-volumes'].filter((v) => v.sharing || !ownVolumeIds.has(v.id));
    for (const vol of w['vm-volumes']) {
      vol.vm_disks = (vol.vm_disks as Row[]).filter((d) => !diskIds.has(d.id));
      vol.mounting = (vol.vm_disks as Row[]).length > 0;
    }
    for (const vlan of w.vlans) vlan.vm_nics = (vlan.vm_nics as Row[]).filter((n) => !nicIds.has(n.id));
  }

  private addAlerts(): void {
    const { rng } = this;
    for (const host of this.world.hosts.slice(0, 6)) {
      this.world.alerts.push({
        id: makeCuid(rng),
        local_id: rng.uuid(),
        severity: rng.pick(['CRITICAL', 'NOTICE', 'INFO']),
        ended: rng.chance(0.3),
        message: `The memory usage of host ${host.name} is high.`,
        cause: 'Host memory usage exceeded the configured threshold.',
        impact: 'Virtual machines on the host may be slowed down.',
        solution: 'Migrate some virtual machines to other hosts or add memory.',
        threshold: 80,
        value: 84.6,
        labels: { _host: host.local_id, metric_name: 'host_memory_usage_percent' },
        local_start_time: iso(BASE_TIME + 3_600_000),
        local_end_time: '',
        local_update_time: iso(BASE_TIME + 7_200_000),
        local_create_time: iso(BASE_TIME + 3_600_000),
        create_time: iso(BASE_TIME + 3_600_000),
        alert_rule: { id: makeCuid(rng) },
        cluster: host.cluster,
        host: { id: host.id, name: host.name, management_ip: host.management_ip },
        disk: null,
        vms: [],
      });
    }
  }

  /** Recomputes roll-ups (counts per cluster/host) and sorts every collection by id. */
  finish(): void {
    const w = this.world;
    for (const c of w.clusters) {
      const vms = w.vms.filter((v) => (v.cluster as Row).id === c.id && !v.in_recycle_bin);
      c.vm_num = vms.length;
      c.running_vm_num = vms.filter((v) => v.status === 'RUNNING').length;
      c.stopped_vm_num = vms.filter((v) => v.status === 'STOPPED').length;
      c.suspended_vm_num = vms.filter((v) => v.status === 'SUSPENDED').length;
    }
    for (const dc of w.datacenters) dc.cluster_num = (dc.clusters as Row[]).length;
    for (const key of Object.keys(w) as Collection[]) w[key].sort(byId);
  }
}

/** Generates the estate for `options`. */
export function generateWorld(options: WorldOptions): { builder: WorldBuilder; world: CloudTowerWorld } {
  const builder = new WorldBuilder(options);
  return { builder, world: builder.build() };
}
