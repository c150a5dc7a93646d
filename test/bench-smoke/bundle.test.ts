/**
 * Smoke test of the `bundle` scenario: every serverless.yml function bundles with the deploy's esbuild
 * settings, loads in a fresh node and exports its handler. One quick round; no timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { benchBundle, largestPackages, readServerlessBuildConfig } from '../bench/bundle';

describe('bench: bundle', () => {
  it('takes the esbuild settings and the functions from serverless.yml', async () => {
    // Act
    const config = await readServerlessBuildConfig();
    // Assess: the plugin's own keys are gone, its `exclude` became `external`, the extension became outExtension.
    expect(config.functions.map((f) => f.name).sort()).toEqual([
      'getLogs',
      'getLogsStream',
      'getMetrics',
      'getMetricsStream',
      'getResources',
      'getResourcesStream',
      'getSpend',
      'getStatus',
      'syncAccount',
      'validateCredentials',
    ]);
    for (const f of config.functions) expect(f.source).toMatch(/^functions\/[a-z-]+\.ts$/);
    expect(config.esbuildOptions).not.toHaveProperty('exclude');
    expect(config.esbuildOptions).not.toHaveProperty('outputWorkFolder');
    expect(config.esbuildOptions).toHaveProperty('bundle', true);
    expect(Array.isArray(config.esbuildOptions.external)).toBe(true);
    if (config.outputFileExtension !== '.js')
      expect(config.esbuildOptions.outExtension).toEqual({ '.js': config.outputFileExtension });
  });

  it('groups metafile inputs by package, largest first', () => {
    const top = largestPackages(
      {
        'node_modules/@aws-sdk/client-ssm/dist-cjs/index.js': { bytesInOutput: 4096 },
        'node_modules/@aws-sdk/client-ssm/dist-cjs/other.js': { bytesInOutput: 2048 },
        'node_modules/luxon/src/luxon.js': { bytesInOutput: 5120 },
        'lib/http/client.ts': { bytesInOutput: 1024 },
      },
      2,
    );
    expect(top).toEqual(['@aws-sdk/client-ssm 6 kB', 'luxon 5 kB']);
  });

  it('reports a size and an import time per function, each bundle loading its handler', async () => {
    // Act (importOnce throws if a bundle does not load or lacks its handler export)
    const results = await benchBundle({ quick: true });
    // Assess
    const config = await readServerlessBuildConfig();
    expect(results).toHaveLength(config.functions.length * 2);
    for (const f of config.functions) {
      const size = results.find((r) => r.name === `bundle.${f.name}.size`);
      const load = results.find((r) => r.name === `bundle.${f.name}.import`);
      expect(size?.unit).toBe('MB');
      expect(size?.value).toBeGreaterThan(0);
      expect(size?.ok).toBe((size?.value ?? Number.POSITIVE_INFINITY) <= 1.5);
      expect(load?.unit).toBe('ms');
      expect(load?.baseline).toBeGreaterThan(0);
      expect(load?.value).toBeGreaterThan(0);
      expect(load?.note).toMatch(/import overhead/);
    }
  }, 120_000);
});
