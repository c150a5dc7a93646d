/**
 * The memory scenario's child: one full inventory against the simulator the parent runs, turned into nflex
 * resources and serialized to the JSON a get_resources call returns (the handler's own conversion, then the
 * runtime's JSON.stringify), then its peak RSS. The parent bundles this with the provider it measures
 * (esbuild), so no TypeScript loader is resident while it runs.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SerializedResource } from '../../lib/connector-utils/resources';
import type { Inventory, Provider, ProviderOptions } from '../../lib/providers/provider';
import { serializedResources, serializeInventory } from '../../lib/providers/to-nflex';
import { jsonChunks } from '../../lib/result/json';
import { peakRssKib, reportPeak } from './memory-probe';

/** Environment variable carrying the credentials JSON (not argv, so it never shows in a process list). */
export const CREDENTIALS_ENV = 'BENCH_PROVIDER_CREDENTIALS';

/** A provider for the estate the parent's credentials point at. */
function providerFromEnv(
  createProvider: (credentials: never, options?: ProviderOptions) => Provider,
): Provider {
  const raw = process.env[CREDENTIALS_ENV];
  if (!raw) throw new Error(`${CREDENTIALS_ENV} is not set`);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
  return (createProvider as (c: unknown, o?: ProviderOptions) => Provider)(JSON.parse(raw), { concurrency });
}

/** Records per kind, taken before serializing empties the inventory. */
function countsOf(inv: Inventory): Record<string, number> {
  return {
    servers: inv.servers.length,
    volumes: inv.volumes.length,
    networks: inv.networks.length,
    computePools: inv.computePools.length,
  };
}

/** Runs the inventory with `createProvider` and reports the peak RSS, the counts and the JSON size. */
export async function runInventoryChild(
  createProvider: (credentials: never, options?: ProviderOptions) => Provider,
): Promise<void> {
  const inv = await providerFromEnv(createProvider).inventory(new AbortController().signal);
  // High-water marks after each stage (cheap reads of VmHWM) say which stage set the peak.
  const afterInventoryKib = peakRssKib();
  // Counted first: the same conversion as getResources, which empties the inventory as it serializes.
  const counts = countsOf(inv);
  let serialized: SerializedResource[] | null = serializeInventory(inv);
  const afterSerializeKib = peakRssKib();
  // What the Lambda runtime does with the handler's result.
  const json = JSON.stringify(serialized);
  serialized = null;
  // The peak is a high-water mark, read first and reported: the full collection below (with --expose-gc,
  // which the parent passes) only measures what is still reachable — an upper bound of the live data, so the
  // rest of the peak was garbage — and its compaction can raise the high-water mark after the work is done.
  const peak = peakRssKib();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  reportPeak({
    ...counts,
    jsonBytes: Buffer.byteLength(json),
    peakRssKib: peak,
    stagesKib: { inventory: afterInventoryKib, serialized: afterSerializeKib, json: peak },
    liveAfterGcKib: gc ? Math.round((heapUsed + external) / 1024) : null,
  });
}

/**
 * The streaming twin: getResourcesStream's path — the provider's lazy inventory, each record made and
 * serialized into JSON chunks (lib/result/json.ts) piped to a sink that only counts bytes — and the peak RSS.
 */
export async function runStreamChild(
  createProvider: (credentials: never, options?: ProviderOptions) => Provider,
): Promise<void> {
  const inv = await providerFromEnv(createProvider).lazyInventory(new AbortController().signal);
  const afterInventoryKib = peakRssKib();
  const counts: Record<string, number> = {};
  let jsonBytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      jsonBytes += chunk.length;
      callback();
    },
  });
  await pipeline(Readable.from(jsonChunks(serializedResources(inv, counts)), { objectMode: false }), sink);
  const peak = peakRssKib();
  reportPeak({
    servers: counts.servers,
    volumes: counts.volumes,
    networks: counts.networks,
    computePools: counts.compute_pools,
    jsonBytes,
    peakRssKib: peak,
    stagesKib: { inventory: afterInventoryKib, serialized: peak, json: peak },
  });
}
