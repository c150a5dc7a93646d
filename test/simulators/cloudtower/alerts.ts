/**
 * Alerts and health for the CloudTower simulator: alerts on a clock the tests move (raise and resolve
 * between polls), with every source shape (VMs, a host, a disk on a host, a cluster) and severity
 * (`CRITICAL`, `NOTICE`, `INFO`, and one the connector does not know); a `get-disks` collection with
 * disks of every health state; hosts in maintenance, warning and error; and ground truth of every
 * entity's expected level and causes.
 */
import { Rng } from '../common/rng';
import { type CloudTowerWorld, makeCuid, type Row } from './model';

export type TowerSeverity = 'CRITICAL' | 'NOTICE' | 'INFO' | 'SEVERITY_UNSPECIFIED';

/** The expected getStatus entry of one entity. */
export interface TowerExpectedStatus {
  kind: 'cluster' | 'host' | 'vm';
  id: string;
  level: 0 | 1 | 2;
  causes: string[];
}

const DISK_ERROR = new Set(['UNHEALTHY', 'SMART_FAILED', 'SOFTWARE_RAID_FAILURE']);
const HOST_ERROR = new Set(['CONNECTED_ERROR', 'CONNECTING', 'INITIALIZING', 'SESSION_EXPIRED']);

function iso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

const ref = (r: Row) => ({ id: r.id as string, name: r.name as string });

/** Disks (`get-disks`) for every host, plus host health variety; returns the disks, sorted by id. */
export function addDisksAndHostHealth(world: CloudTowerWorld, seed: number): Row[] {
  const rng = new Rng(seed).fork('disks');
  const disks: Row[] = [];
  for (const host of world.hosts) {
    for (let i = 0; i < 4; i++) {
      disks.push({
        id: makeCuid(rng),
        local_id: rng.uuid(),
        name: `sd${String.fromCharCode(97 + i)}`,
        path: `/dev/sd${String.fromCharCode(97 + i)}`,
        host: { id: host.id, name: host.name },
        type: i < 2 ? 'SSD' : 'HDD',
        usage: i < 2 ? 'CACHE' : 'DATA',
        size: (i < 2 ? 960 : 3840) * 1e9,
        model: i < 2 ? 'SAMSUNG MZ7LH960' : 'ST4000NM0035',
        serial: `S${rng.int(100000, 999999)}`,
        firmware: 'GDC5',
        health_status: 'HEALTHY',
        healthy: true,
        offline: false,
        mounted: true,
        usage_status: 'MOUNTED',
        partitions: [],
        labels: [],
        entityAsyncStatus: null,
      });
    }
  }
  const clusters = world.clusters.filter((c) => c.connect_state === 'CONNECTED' && c.hypervisor !== null);
  const hostsOf = (c: Row | undefined) =>
    c ? world.hosts.filter((h) => (h.cluster as Row).id === c.id) : [];
  const diskOf = (h: Row | undefined, name: string) =>
    h ? disks.find((d) => (d.host as Row).id === h.id && d.name === name) : undefined;
  const [maint, warn, error] = hostsOf(clusters[0]);
  if (maint) {
    maint.host_state = {
      state: 'MAINTENANCE_MODE',
      enter_maintenance_time: iso(Date.UTC(2024, 0, 20) * 1000),
      maintenance_job_id: makeCuid(rng),
    };
    const d = diskOf(maint, 'sdc');
    if (d) Object.assign(d, { health_status: 'SUBHEALTHY', healthy: false });
  }
  if (warn) warn.status = 'CONNECTED_WARNING';
  if (error) error.status = 'CONNECTED_ERROR';
  const other = hostsOf(clusters[1] ?? clusters[0]);
  ['UNHEALTHY', 'SMART_FAILED', 'SOFTWARE_RAID_FAILURE'].forEach((health, i) => {
    const d = diskOf(other[i], 'sdd');
    if (d) Object.assign(d, { health_status: health, healthy: false });
  });
  return disks.sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
}

/** Alerts over time on the simulator's clock; rows live in `world.alerts` (kept sorted by id). */
export class TowerAlertBook {
  private readonly rng: Rng;
  private serial = 0;

  constructor(
    private readonly world: CloudTowerWorld,
    seed: number,
    /** Epoch ms. */
    private readonly now: () => number,
    /** Called after every change (the simulator drops its cached filters). */
    private readonly changed: () => void,
  ) {
    this.rng = new Rng(seed).fork('alerts');
    world.alerts = [];
    this.seed();
  }

  private nowMicros(): number {
    // CloudTower times carry milliseconds; a distinct millisecond per change keeps them ordered.
    return (this.now() + (++this.serial % 7)) * 1000;
  }

  private row(
    severity: TowerSeverity,
    message: string,
    at: { created: number; ended: number | null },
    where: { cluster: Row | null; host: Row | null; disk: Row | null; vms: Row[] },
  ): Row {
    const alert: Row = {
      id: makeCuid(this.rng),
      local_id: this.rng.uuid(),
      severity,
      ended: at.ended !== null,
      message,
      cause: 'Simulated cause.',
      impact: 'Simulated impact.',
      solution: 'Simulated solution.',
      threshold: 80,
      value: 90,
      labels: where.host ? { _host: where.host.local_id } : {},
      local_start_time: iso(at.created - 1_000_000),
      local_end_time: at.ended === null ? '' : iso(at.ended),
      local_update_time: iso(at.ended ?? at.created),
      local_create_time: iso(at.created),
      create_time: iso(at.created - 1_000_000),
      alert_rule: { id: makeCuid(this.rng) },
      cluster: where.cluster ? ref(where.cluster) : null,
      host: where.host ? { ...ref(where.host), management_ip: where.host.management_ip } : null,
      disk: where.disk ? ref(where.disk) : null,
      vms: where.vms.map(ref),
    };
    this.world.alerts.push(alert);
    this.world.alerts.sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
    return alert;
  }

  private clusterOf(r: Row): Row | null {
    const id = (r.cluster as Row | null)?.id;
    return this.world.clusters.find((c) => c.id === id) ?? null;
  }

  private seed(): void {
    const w = this.world;
    const t = this.now() * 1000;
    const hosts = w.hosts.filter((h) => h.status === 'CONNECTED_HEALTHY' || h.status === 'CONNECTED_WARNING');
    const placed = w.vms.filter((v) => !v.in_recycle_bin && v.host);
    const h0 = hosts[0]!;
    const diskHost =
      w.hosts.find((h) =>
        (w as unknown as { disks?: Row[] }).disks?.some(
          (d) => (d.host as Row).id === h.id && d.health_status === 'UNHEALTHY',
        ),
      ) ?? h0;
    const disk =
      ((w as unknown as { disks?: Row[] }).disks ?? []).find(
        (d) => (d.host as Row).id === diskHost.id && d.health_status === 'UNHEALTHY',
      ) ?? null;
    const [vmA, vmB] = [placed[0]!, placed[1] ?? placed[0]!];
    // VMs of one anti-affinity group share a cluster: the alert is that cluster's.
    const sameCluster = (v: Row) => (v.cluster as Row | null)?.id === (vmB.cluster as Row | null)?.id;
    const vmC = placed.find((v) => v !== vmB && sameCluster(v)) ?? vmB;
    this.row(
      'CRITICAL',
      `The memory usage of host ${h0.name} is high.`,
      { created: t - 3_600_000_000, ended: null },
      {
        cluster: this.clusterOf(h0),
        host: h0,
        disk: null,
        vms: [],
      },
    );
    this.row(
      'NOTICE',
      `The CPU usage of VM ${vmA.name} is high.`,
      { created: t - 1_800_000_000, ended: null },
      {
        cluster: this.clusterOf(vmA),
        host: null,
        disk: null,
        vms: [vmA],
      },
    );
    this.row(
      'CRITICAL',
      `Disk ${disk?.name ?? 'sdd'} on host ${diskHost.name} is unhealthy.`,
      { created: t - 900_000_000, ended: null },
      {
        cluster: this.clusterOf(diskHost),
        host: diskHost,
        disk,
        vms: [],
      },
    );
    this.row(
      'INFO',
      `Cluster ${(this.clusterOf(h0)?.name as string) ?? ''} finished a rebalance.`,
      { created: t - 600_000_000, ended: null },
      {
        cluster: this.clusterOf(h0),
        host: null,
        disk: null,
        vms: [],
      },
    );
    this.row(
      'NOTICE',
      `VMs ${vmB.name} and ${vmC.name} share an anti-affinity group on one host.`,
      { created: t - 300_000_000, ended: null },
      {
        cluster: this.clusterOf(vmB),
        host: (vmB.host as Row | null) ? (w.hosts.find((h) => h.id === (vmB.host as Row).id) ?? null) : null,
        disk: null,
        vms: [vmB, vmC],
      },
    );
    this.row(
      'NOTICE',
      `Storage usage of cluster ${(this.clusterOf(vmA)?.name as string) ?? ''} is above 80%.`,
      { created: t - 250_000_000, ended: null },
      {
        cluster: this.clusterOf(vmA),
        host: null,
        disk: null,
        vms: [],
      },
    );
    this.row(
      'SEVERITY_UNSPECIFIED',
      `Host ${h0.name} reported an unclassified event.`,
      { created: t - 200_000_000, ended: null },
      {
        cluster: this.clusterOf(h0),
        host: h0,
        disk: null,
        vms: [],
      },
    );
    this.row(
      'CRITICAL',
      `Host ${h0.name} was unreachable.`,
      { created: t - 86_400_000_000, ended: t - 80_000_000_000 },
      {
        cluster: this.clusterOf(h0),
        host: h0,
        disk: null,
        vms: [],
      },
    );
    this.changed();
  }

  /** Raises an alert now on a VM, a host or a cluster (by id); returns its row. */
  raise(severity: TowerSeverity, on: { vm?: string; host?: string; cluster?: string }): Row {
    const w = this.world;
    const vm = on.vm ? w.vms.find((v) => v.id === on.vm) : undefined;
    const host = on.host ? w.hosts.find((h) => h.id === on.host) : undefined;
    const cluster = on.cluster ? w.clusters.find((c) => c.id === on.cluster) : undefined;
    const subject = vm ?? host ?? cluster;
    if (!subject) throw new Error('raise needs an existing vm, host or cluster');
    const row = this.row(
      severity,
      `Check ${this.world.alerts.length} failed on ${subject.name as string}.`,
      { created: this.nowMicros(), ended: null },
      { cluster: cluster ?? this.clusterOf(subject), host: host ?? null, disk: null, vms: vm ? [vm] : [] },
    );
    this.changed();
    return row;
  }

  /** Ends an open alert now. */
  resolve(id: string): Row {
    const row = this.world.alerts.find((a) => a.id === id);
    if (!row || row.ended) throw new Error(`no open alert ${id}`);
    const t = this.nowMicros();
    Object.assign(row, { ended: true, local_end_time: iso(t), local_update_time: iso(t) });
    this.changed();
    return row;
  }

  /** Expected getStatus entries at `atMicros` (clusters, hosts, VMs not in the recycle bin). */
  expectedStatus(atMicros: number): TowerExpectedStatus[] {
    const w = this.world;
    const disks = (w as unknown as { disks?: Row[] }).disks ?? [];
    const openAlerts = w.alerts
      .filter((a) => Date.parse(a.local_create_time as string) * 1000 <= atMicros)
      .filter((a) => !a.ended || Date.parse(a.local_end_time as string) * 1000 > atMicros)
      .filter((a) => a.severity === 'CRITICAL' || a.severity === 'NOTICE')
      .sort(
        (a, b) =>
          Date.parse(a.local_create_time as string) - Date.parse(b.local_create_time as string) ||
          ((a.id as string) < (b.id as string) ? -1 : 1),
      );
    const sourcedOn = (a: Row): { kind: string; id: string }[] => {
      const vms = a.vms as Row[];
      if (vms.length > 0) return vms.map((v) => ({ kind: 'vm', id: v.id as string }));
      if (a.host) return [{ kind: 'host', id: (a.host as Row).id as string }];
      if (a.cluster) return [{ kind: 'cluster', id: (a.cluster as Row).id as string }];
      return [];
    };
    const alertCauses = (kind: string, id: string) =>
      openAlerts
        .filter((a) => sourcedOn(a).some((e) => e.kind === kind && e.id === id))
        .map((a) => ({
          level: a.severity === 'CRITICAL' ? 2 : 1,
          text: `${a.severity === 'CRITICAL' ? 'CRITICAL' : 'WARNING'} alert ${a.id as string}: ${a.message as string}`,
        }));
    const entry = (
      kind: TowerExpectedStatus['kind'],
      id: string,
      causes: { level: number; text: string }[],
    ) => ({
      kind,
      id,
      level: Math.max(0, ...causes.map((c) => c.level)) as 0 | 1 | 2,
      causes: causes.map((c) => c.text),
    });
    const out: TowerExpectedStatus[] = [];
    for (const c of w.clusters) {
      const s = c.connect_state as string;
      const causes =
        s === 'DISCONNECTED' || s === 'REMOVING'
          ? [{ level: 2, text: `cluster connect_state ${s}` }]
          : s === 'INITIALIZING'
            ? [{ level: 1, text: `cluster connect_state ${s}` }]
            : [];
      out.push(entry('cluster', c.id as string, [...causes, ...alertCauses('cluster', c.id as string)]));
    }
    for (const h of w.hosts) {
      const causes: { level: number; text: string }[] = [];
      const status = h.status as string;
      if (HOST_ERROR.has(status)) causes.push({ level: 2, text: `host status ${status}` });
      else if (status === 'CONNECTED_WARNING') causes.push({ level: 1, text: `host status ${status}` });
      const state = (h.host_state as Row | null | undefined)?.state as string | undefined;
      if (state === 'MAINTENANCE_MODE' || state === 'ENTERING_MAINTENANCE_MODE')
        causes.push({ level: 1, text: `host in maintenance (${state})` });
      const own = disks
        .filter((d) => (d.host as Row).id === h.id)
        .sort((a, b) => (a.name as string).localeCompare(b.name as string));
      for (const d of own) {
        const health = d.health_status as string;
        if (DISK_ERROR.has(health)) causes.push({ level: 2, text: `disk ${d.name as string} ${health}` });
        else if (health === 'SUBHEALTHY')
          causes.push({ level: 1, text: `disk ${d.name as string} ${health}` });
      }
      out.push(entry('host', h.id as string, [...causes, ...alertCauses('host', h.id as string)]));
    }
    for (const v of w.vms.filter((x) => !x.in_recycle_bin)) {
      out.push(entry('vm', v.id as string, alertCauses('vm', v.id as string)));
    }
    return out;
  }
}
