/**
 * The Nutanix Prism provider: Prism Central v4 when offered (v4.0 preferred), v3 otherwise or when forced
 * by `credentials.api`, and Prism Element v2.0 when the endpoint is a lone PE (auto-detected). Inventory is
 * complete or a typed error; metrics are bulk per cluster on PC (on a PE, one v1 call per VM: the only VM
 * time series API.md documents there).
 */

import { HttpStatusError } from '../../http';
import { optionalEnrichment, usageFromInventory } from '../contract';
import type { AlertQuery, AlertRecord, EntityScope, HealthEntity } from '../monitoring';
import type { CollectStats } from '../paging';
import type {
  AccountInfo,
  Inventory,
  LazyInventory,
  MetricSubject,
  PrismCredentials,
  Provider,
  Sample,
  TimeWindow,
  UsageRecord,
  UsageSubject,
} from '../provider';
import { materialize } from '../to-nflex';
import { alertsApi, readPrismAlerts } from './alerts';
import { type PrismApi, PrismClient, type PrismClientOptions } from './client';
import { readClusterV2, readSnapshotV2 } from './element';
import { readPrismHealth } from './health';
import { inventoryFromSnapshot } from './kinds';
import { collectMetrics } from './metrics';
import { readStorageCapacityV3 } from './metrics-v3';
import type { PrismSnapshot } from './snapshot';
import { readResourceUsage } from './usage';
import { listV3, parseClusterV3, readSnapshotV3 } from './v3';
import { listV4, readSnapshotV4 } from './v4';

export { chooseV4Version, type PrismApi, PrismClient } from './client';
export { PRISM_V1_ALIASES, subjectFields } from './metric-fields';

/** Session key of the detected API. */
const DETECTION_KEY = 'prism.api';

/** The Prism provider plus what tests and benchmarks inspect (HTTP stats, per-collection page counts). */
export interface PrismProvider extends Provider {
  readonly client: PrismClient;
  /** Page counts of the last inventory, per collection. */
  readonly collections: Record<string, CollectStats>;
  /** The API in use (after the first call). */
  api(signal: AbortSignal): Promise<PrismApi>;
  /** The raw snapshot behind the last inventory. */
  snapshot(signal: AbortSignal): Promise<PrismSnapshot>;
}

/** Creates the Prism provider for one Prism Central. */
export function createPrismProvider(
  credentials: PrismCredentials,
  options: PrismClientOptions = {},
): PrismProvider {
  const client = new PrismClient(credentials, options);
  let detected: Promise<PrismApi> | null = null;
  const collections: Record<string, CollectStats> = {};
  // Whether this Prism's alerts endpoint rejected a time filter (then every read filters client-side).
  const alertState: { timeFilterRejected?: boolean } = {};

  const session = client.session;
  // Whether the API in use came from the session cache (and so may no longer hold) rather than a probe.
  let fromCache = false;

  const api = (signal: AbortSignal): Promise<PrismApi> => {
    if (!detected) {
      const cached = session?.get<PrismApi>(DETECTION_KEY);
      if (cached) {
        fromCache = true;
        client.apiFromCache = true;
        detected = client.ensureSession(signal).then(() => cached);
      } else {
        detected = (async () => {
          await client.ensureSession(signal);
          const found = await client.detectApi(signal);
          session?.set(DETECTION_KEY, found);
          return found;
        })();
      }
      detected = detected.catch((err: unknown) => {
        detected = null;
        throw err;
      });
    }
    return detected;
  };

  /**
   * Runs `work` with the API in use. When that API came from the session cache and an endpoint of it is
   * not found, the detection may no longer hold (the upstream was upgraded or replaced): it is dropped,
   * detected afresh, and `work` runs once more — where a 404 means what it says.
   */
  const withApi = async <T>(signal: AbortSignal, work: (chosen: PrismApi) => Promise<T>): Promise<T> => {
    const chosen = await api(signal);
    try {
      return await work(chosen);
    } catch (err) {
      if (!fromCache || !(err instanceof HttpStatusError && err.status === 404)) throw err;
      session?.delete(DETECTION_KEY);
      detected = null;
      fromCache = false;
      client.apiFromCache = false;
      return work(await api(signal));
    }
  };

  const snapshot = (signal: AbortSignal): Promise<PrismSnapshot> =>
    withApi(signal, (chosen) => {
      for (const key of Object.keys(collections)) delete collections[key];
      if (chosen.kind === 'v4') return readSnapshotV4(client, chosen.version, signal, collections);
      if (chosen.kind === 'v2') return readSnapshotV2(client, signal, collections);
      return readSnapshotV3(client, signal, collections, async (clusters) => {
        await optionalEnrichment(
          'cluster storage capacity (v3 groups)',
          () => readStorageCapacityV3(client, clusters, signal),
          (m) => client.warn(m),
        );
      });
    });

  const lazyInventory = async (signal: AbortSignal): Promise<LazyInventory> =>
    inventoryFromSnapshot(await snapshot(signal));
  const inventory = async (signal: AbortSignal): Promise<Inventory> =>
    materialize(await lazyInventory(signal));

  return {
    kind: 'prism',
    client,
    collections,
    api,
    snapshot,

    validate: (signal: AbortSignal): Promise<AccountInfo> =>
      withApi(signal, (chosen) => validateWith(chosen, signal)),

    inventory,
    lazyInventory,

    async metrics(subjects: MetricSubject[], window: TimeWindow, signal: AbortSignal): Promise<Sample[]> {
      if (subjects.length === 0) return [];
      return withApi(signal, (chosen) => collectMetrics(client, chosen, subjects, window, signal));
    },

    async usage(_window: TimeWindow, signal: AbortSignal): Promise<UsageRecord[]> {
      return usageFromInventory(await lazyInventory(signal));
    },

    resourceUsage: (subject: UsageSubject, signal: AbortSignal): Promise<UsageRecord[] | null> =>
      withApi(signal, (chosen) => readResourceUsage(client, chosen, subject, lazyInventory, signal)),

    async alerts(query: AlertQuery, signal: AbortSignal): Promise<AlertRecord[]> {
      const chosen = await api(signal);
      return readPrismAlerts(client, chosen, alertsApi(chosen), query, signal, alertState);
    },

    async health(scope: EntityScope | null, signal: AbortSignal): Promise<HealthEntity[]> {
      return readPrismHealth(client, await api(signal), scope, signal);
    },
  };

  async function validateWith(chosen: PrismApi, signal: AbortSignal): Promise<AccountInfo> {
    // Listing clusters proves the account may read inventory (403 → PermissionError).
    const clusters =
      chosen.kind === 'v2'
        ? [{ ...(await readClusterV2(client, signal)), pc: false }]
        : chosen.kind === 'v4'
          ? (
              await listV4(client, `/api/clustermgmt/${chosen.version}/config/clusters`, 'clusters', signal)
            ).map((c) => ({
              id: String(c.extId),
              name: String(c.name ?? ''),
              pc: JSON.stringify(c.config ?? {}).includes('PRISM_CENTRAL'),
            }))
          : (await readClustersV3(client, signal)).map((c) => ({
              id: c.id,
              name: c.name,
              pc: c.isPrismCentral,
            }));
    return {
      provider: 'prism',
      endpoint: client.endpoint,
      api: chosen.kind === 'v4' ? chosen.version : chosen.kind === 'v2' ? 'v2.0' : 'v3',
      version: client.product,
      clusters: clusters.filter((c) => !c.pc).map(({ id, name }) => ({ id, name })),
    };
  }
}

async function readClustersV3(client: PrismClient, signal: AbortSignal) {
  return (await listV3(client, 'cluster', signal)).map(parseClusterV3);
}
