/**
 * Scenarios `memory.stream.10k` and `memory.stream.50k`: peak RSS of a fresh Node process that reads the whole
 * inventory and streams it as getResourcesStream does (records serialized one by one into JSON chunks, piped
 * to a sink that only counts bytes), above a bare Node measured the same way; median of 3 runs each. The 10k
 * run also reports `result.bytes.10k` per provider — the size of the get_resources JSON — and from it the
 * largest estate a buffered getResources returns under the 6,000,000-byte limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../lib/result/size';
import { type ProviderName, startEstate } from './estates';
import { type AnnotatedResult, median, round, type ScenarioSettings } from './harness';
import { buildMemoryChildren, medianChild, runChild } from './memory';
import { CREDENTIALS_ENV } from './memory-child';

const MIB = 1024;

/** Runs the streaming child per provider; `label` is `10k` or `50k`, `limitMib` the target above bare. */
export async function benchMemoryStream(
  options: { vms: number; label: string; limitMib: number; resultBytes?: boolean } & ScenarioSettings & {
      providers?: ProviderName[];
    },
): Promise<AnnotatedResult[]> {
  const providers = options.providers ?? (['prism', 'cloudtower'] as ProviderName[]);
  const runs = options.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'nflex-bench-stream-'));
  const results: AnnotatedResult[] = [];
  try {
    const built = await buildMemoryChildren(dir, providers, 'stream');
    const bareRuns: number[] = [];
    for (let i = 0; i < runs; i++) bareRuns.push((await runChild(built.bare)).peakRssKib);
    const bareKib = median(bareRuns);
    for (const name of providers) {
      const estate = await startEstate(name, { vms: options.vms, latencyMs: options.latencyMs });
      try {
        const report = await medianChild(runs, () =>
          runChild(built.children[name] as string, { [CREDENTIALS_ENV]: JSON.stringify(estate.credentials) }),
        );
        const expected = estate.truthServerIds().length;
        if (report.servers !== expected)
          throw new Error(
            `the ${name} child streamed ${report.servers} servers, ground truth has ${expected}`,
          );
        const aboveMib = (report.peakRssKib - bareKib) / MIB;
        const perThousand = aboveMib / (expected / 1000);
        const afterInventory = ((report.stagesKib?.inventory ?? 0) - bareKib) / MIB;
        results.push({
          name: `memory.stream.${options.label}.${name}`,
          value: round(report.peakRssKib / MIB, 1),
          unit: 'MB',
          baseline: round(bareKib / MIB, 1),
          ratio: round(report.peakRssKib / bareKib, 2),
          target: `≤ baseline + ${options.limitMib} MB`,
          ok: aboveMib <= options.limitMib,
          note:
            `${round(aboveMib, 1)} MB above bare node (median of ${runs} runs), ${round(perThousand, 1)} MB per 1,000 VMs; ` +
            `${report.servers} servers, ${report.volumes} volumes, ${round((report.jsonBytes ?? 0) / 2 ** 20, 1)} MB streamed; ` +
            `peak above bare after the upstream read, before any record is made: ${round(afterInventory, 1)} MB` +
            (options.latencyMs === 0 ? '; simulator latency 0 ms (memory does not depend on it)' : ''),
        });
        if (options.resultBytes) {
          const bytes = report.jsonBytes ?? 0;
          const perVm = bytes / expected;
          const maxVms = Math.floor(DEFAULT_MAX_RESPONSE_BYTES / perVm);
          results.push({
            name: `result.bytes.${options.label}.${name}`,
            value: round(bytes / 1e6, 2),
            unit: 'MB',
            baseline: round(DEFAULT_MAX_RESPONSE_BYTES / 1e6, 2),
            ratio: round(bytes / DEFAULT_MAX_RESPONSE_BYTES, 2),
            target: 'reported (buffered limit 6,000,000 bytes)',
            ok: true,
            note:
              `${bytes.toLocaleString('en-US')} bytes of get_resources JSON for ${expected} VMs (${Math.round(perVm)} bytes per VM ` +
              `with its volumes): a buffered getResources returns at most ~${maxVms.toLocaleString('en-US')} VMs of this estate ` +
              'under the limit; above it use getResourcesStream or credentials.clusters',
          });
        }
      } finally {
        await estate.stop();
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
