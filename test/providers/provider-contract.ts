/**
 * What every provider promises through the Provider interface (lib/providers/provider.ts), checked against a
 * simulator's ground truth: the inventory of every registered kind, unique ids, connections that resolve,
 * metrics per subject kind, health, alerts and usage. ./provider-contract.test.ts runs it for each API the
 * simulators serve; the per-provider tests keep what is particular to one (paging, faults, request counts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedEntry } from '../../lib/connector-utils/mapping/metric-mapping';
import type { AlertRecord, HealthEntity } from '../../lib/providers/monitoring';
import type {
  AccountInfo,
  Inventory,
  MetricSubject,
  Provider,
  TimeWindow,
} from '../../lib/providers/provider';
import { KIND_KEYS, type KindKey } from '../../lib/providers/to-nflex';
import type { TruthAlert } from '../functions/monitoring-truth';
import { mappedLines } from '../helpers/metric-lines';

/** Records of one kind by id, reduced to the fields ground truth decides. */
export type ProjectedKind = Record<string, unknown>;
export type Projected = Record<KindKey, ProjectedKind>;

/** A provider on a running simulator, with the simulator's ground truth. */
export interface ProviderUnderTest {
  provider: Provider;
  /** AccountInfo.api this API reports. */
  api: string;
  /** Ids of the clusters validate must report. */
  clusterIds: string[];
  /** The expected inventory, projected. */
  expected(): Projected;
  /** A collected inventory, projected the same way. */
  project(inventory: Inventory): Projected;
  mapping: ReadonlyMap<string, ParsedEntry>;
  /** Every point (as a metric line) the subjects must yield in the window. */
  expectedLines(window: TimeWindow, subjects: MetricSubject[]): string[];
  /** The nflex names a subject kind yields. */
  metricNames(kind: MetricSubject['kind']): string[];
  /** Every alert the simulator holds, as the alert oracle sees it. */
  alerts(): TruthAlert[];
  /** Every cluster, host and VM with its structural causes (no alert open). */
  health(): { kind: string; id: string; causes: string[] }[];
  stop(): Promise<void>;
}

export interface ProviderTarget {
  name: string;
  /** The metrics window (the simulators serve samples for any past window). */
  window: TimeWindow;
  /** The instant alert queries end at; the simulator's alert clock stands there. */
  now: number;
  start(): Promise<ProviderUnderTest>;
}

const signal = () => new AbortController().signal;

/** Records (with `id`) by id, the id left out. */
export function byId(list: readonly { id: string }[]): ProjectedKind {
  return Object.fromEntries(list.map(({ id, ...rest }) => [id, rest]));
}

/** Alerts as comparable rows. */
function alertRow(a: AlertRecord | TruthAlert) {
  const created = 'createdMicros' in a ? a.createdMicros : a.created;
  const resolved = 'resolvedMicros' in a ? a.resolvedMicros : a.resolved;
  const text = 'message' in a ? a.message : a.text;
  return {
    id: a.id,
    severity: a.severity,
    text,
    source: a.source ? { kind: a.source.kind, name: a.source.name } : null,
    sourcedOn: [...a.sourcedOn].sort((x, y) => (x.id < y.id ? -1 : 1)),
    created,
    resolved,
  };
}

const byAlertId = (rows: ReturnType<typeof alertRow>[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

export function providerContract(target: ProviderTarget): void {
  describe(`provider contract: ${target.name}`, () => {
    let put: ProviderUnderTest;
    let inventory: Inventory;

    beforeAll(async () => {
      put = await target.start();
      inventory = await put.provider.inventory(signal());
    });
    afterAll(() => put?.stop());

    it('validate reports the API and exactly the real clusters', async () => {
      const info: AccountInfo = await put.provider.validate(signal());
      expect(info.provider).toBe(put.provider.kind);
      expect(info.api).toBe(put.api);
      expect(info.clusters.map((c) => c.id).sort()).toEqual([...put.clusterIds].sort());
    });

    it('the inventory of every registered kind equals the ground truth', () => {
      const got = put.project(inventory);
      const want = put.expected();
      for (const kind of KIND_KEYS) {
        expect(Object.keys(want[kind] ?? {}).length, `ground truth has no ${kind}`).toBeGreaterThan(0);
        expect(got[kind], kind).toEqual(want[kind]);
      }
    });

    it('the lazy inventory yields, kind by kind, the records of the inventory', async () => {
      const lazy = await put.provider.lazyInventory(signal());
      for (const kind of KIND_KEYS) expect([...lazy[kind]()], kind).toEqual(inventory[kind]);
    });

    it('ids are unique within each kind and across kinds', () => {
      const all = KIND_KEYS.flatMap((kind) => inventory[kind].map((r) => r.id));
      for (const kind of KIND_KEYS) {
        const ids = inventory[kind].map((r) => r.id);
        expect(new Set(ids).size, kind).toBe(ids.length);
      }
      expect(new Set(all).size).toBe(all.length);
    });

    it('every connection names a record of the right kind in the same inventory', () => {
      const ids = Object.fromEntries(
        KIND_KEYS.map((k) => [k, new Set(inventory[k].map((r) => r.id))]),
      ) as Record<KindKey, Set<string>>;
      const dangling: string[] = [];
      const check = (from: string, kind: KindKey, id: string | null | undefined) => {
        if (id !== null && id !== undefined && !ids[kind].has(id)) dangling.push(`${from} → ${kind} ${id}`);
      };
      for (const s of inventory.servers) {
        for (const v of s.volumeIds) check(`server ${s.id}`, 'volumes', v);
        for (const n of s.networkIds) check(`server ${s.id}`, 'networks', n);
        check(`server ${s.id}`, 'hosts', s.hostId);
        check(`server ${s.id}`, 'computePools', s.clusterId);
      }
      for (const h of inventory.hosts) check(`host ${h.id}`, 'computePools', h.clusterId);
      for (const v of inventory.volumes) {
        for (const s of v.serverIds) check(`volume ${v.id}`, 'servers', s);
        check(`volume ${v.id}`, 'computePools', v.clusterId);
      }
      for (const n of inventory.networks) check(`network ${n.id}`, 'computePools', n.clusterId);
      expect(dangling).toEqual([]);
      // Placement is really exercised: some VMs run on a host, and every host is in a pool.
      expect(inventory.servers.some((s) => s.hostId !== null)).toBe(true);
      expect(inventory.hosts.every((h) => h.clusterId !== null)).toBe(true);
    });

    it('metrics for every server, host and pool equal the ground truth, each kind with its contract names', async () => {
      const subjects: MetricSubject[] = [
        ...inventory.servers.map((s) => ({
          nativeId: s.id,
          kind: 'server' as const,
          clusterId: s.clusterId,
        })),
        ...inventory.hosts.map((h) => ({ nativeId: h.id, kind: 'host' as const, clusterId: h.clusterId })),
        ...inventory.computePools.map((p) => ({ nativeId: p.id, kind: 'compute_pool' as const })),
      ];
      const samples = await put.provider.metrics(subjects, target.window, signal());

      const lines = mappedLines(samples, put.mapping);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines).toEqual(put.expectedLines(target.window, subjects));
      const asked = new Map(subjects.map((s) => [s.nativeId, s.kind]));
      for (const s of samples) expect(asked.get(s.subjectId), s.subjectId).toBe(s.subjectKind);
      for (const kind of ['server', 'host', 'compute_pool'] as const) {
        const names = new Set(
          samples.filter((s) => s.subjectKind === kind).map((s) => put.mapping.get(s.metric)?.name()),
        );
        expect([...names].sort(), kind).toEqual(put.metricNames(kind));
      }
    });

    it('metrics for one subject: only its own points; a host asked as `host` or `server` yields the host', async () => {
      const measured = (kind: MetricSubject['kind'], id: string) =>
        put.expectedLines(target.window, [{ nativeId: id, kind }]).length > 0;
      const vm = inventory.servers.find((s) => measured('server', s.id));
      const host = inventory.hosts.find((h) => measured('host', h.id));
      if (!vm || !host) throw new Error('the estate has no measured VM or host');

      const one = await put.provider.metrics([{ nativeId: vm.id, kind: 'server' }], target.window, signal());
      expect(mappedLines(one, put.mapping)).toEqual(
        put.expectedLines(target.window, [{ nativeId: vm.id, kind: 'server' }]),
      );
      // As an event names a host: kind `host` without its cluster, or a `server` no VM has the id of.
      for (const kind of ['host', 'server'] as const) {
        const got = await put.provider.metrics([{ nativeId: host.id, kind }], target.window, signal());
        expect(mappedLines(got, put.mapping), kind).toEqual(
          put.expectedLines(target.window, [{ nativeId: host.id, kind: 'host' }]),
        );
      }
    });

    it('health lists every cluster, host and VM with exactly its structural causes; a scope gives that one', async () => {
      const entities = await put.provider.health(null, signal());
      const got = (list: HealthEntity[]) =>
        Object.fromEntries(list.map((e) => [`${e.kind}/${e.id}`, e.causes.map((c) => c.text).sort()]));
      const want = Object.fromEntries(put.health().map((e) => [`${e.kind}/${e.id}`, [...e.causes].sort()]));
      expect(got(entities)).toEqual(want);
      for (const e of entities) {
        expect(e.name, `${e.kind}/${e.id}`).not.toBe('');
        for (const c of e.causes) expect([1, 2]).toContain(c.level);
      }
      expect(entities.some((e) => e.causes.length > 0)).toBe(true);

      const vm = entities.find((e) => e.kind === 'vm');
      const cluster = entities.find((e) => e.kind === 'cluster');
      if (!vm || !cluster) throw new Error('no VM or cluster in the health list');
      expect(await put.provider.health({ kind: 'server', id: vm.id }, signal())).toEqual([vm]);
      expect(await put.provider.health({ kind: 'cluster', id: cluster.id }, signal())).toEqual([cluster]);
    });

    it('alerts: the open ones at an instant, and every change in a window, equal the ground truth', async () => {
      const until = target.now * 1000;
      const open = (await put.provider.alerts({ after: null, until, names: true }, signal())).filter(
        (a) => a.createdMicros <= until && (a.resolvedMicros === null || a.resolvedMicros > until),
      );
      const truth = put.alerts();
      const openTruth = truth.filter(
        (a) => a.created <= until && (a.resolved === null || a.resolved > until),
      );
      expect(openTruth.length).toBeGreaterThan(0);
      expect(byAlertId(open.map(alertRow))).toEqual(byAlertId(openTruth.map(alertRow)));

      // A day back: everything raised or resolved in (after, until].
      const after = until - 86_400_000_000;
      const inWindow = (t: number | null) => t !== null && t > after && t <= until;
      const changed = (await put.provider.alerts({ after, until, names: true }, signal())).filter(
        (a) => inWindow(a.createdMicros) || inWindow(a.resolvedMicros),
      );
      const changedTruth = truth.filter((a) => inWindow(a.created) || inWindow(a.resolved));
      expect(changedTruth.length).toBeGreaterThan(0);
      expect(byAlertId(changed.map(alertRow))).toEqual(byAlertId(changedTruth.map(alertRow)));
    });

    it('usage prices every VM (running or not) and every volume, never a host', async () => {
      const usage = await put.provider.usage(target.window, signal());
      const want = put.expected();
      const servers = usage.filter((u) => u.resourceType === 'server');
      const volumes = usage.filter((u) => u.resourceType === 'volume');
      expect(servers.map((u) => u.resourceId).sort()).toEqual(Object.keys(want.servers).sort());
      expect(volumes.map((u) => u.resourceId).sort()).toEqual(Object.keys(want.volumes).sort());
      for (const u of servers) {
        const s = want.servers[u.resourceId] as { cpuCores: number; ramB: number; state: string };
        expect(u, u.resourceId).toMatchObject({
          vcpu: s.cpuCores,
          ramB: s.ramB,
          running: s.state === 'running',
        });
      }
      for (const u of volumes) {
        const v = want.volumes[u.resourceId] as { sizeB: number };
        expect(u.storageB, u.resourceId).toBe(v.sizeB);
      }
      expect(usage.length).toBe(servers.length + volumes.length);
    });

    it('usage of one resource: the VM’s or the volume’s own record, none for a host, null for a gone id', async () => {
      const usage = await put.provider.usage(target.window, signal());
      const vm = inventory.servers[0];
      const volume = inventory.volumes[0];
      const host = inventory.hosts[0];
      if (!vm || !volume || !host) throw new Error('the estate has no VM, volume or host');
      const own = (id: string) => usage.filter((u) => u.resourceId === id);

      expect(await put.provider.resourceUsage({ kind: 'server', id: vm.id }, signal())).toEqual(own(vm.id));
      expect(await put.provider.resourceUsage({ kind: 'volume', id: volume.id }, signal())).toEqual(
        own(volume.id),
      );
      expect(await put.provider.resourceUsage({ kind: 'server', id: host.id }, signal())).toEqual([]);
      // Same format as a real id, so it reaches the upstream and is not rejected as malformed.
      const gone = `${vm.id.slice(0, -1)}${vm.id.endsWith('0') ? '1' : '0'}`;
      expect(await put.provider.resourceUsage({ kind: 'server', id: gone }, signal())).toBeNull();
    });
  });
}
