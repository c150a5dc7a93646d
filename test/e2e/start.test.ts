/**
 * `npm start -- --once`, the README's main command, run as a user runs it (a child process, no AWS, no env
 * beyond free ports): it must pass a full poll cycle for both providers and print the summary; a bad setting
 * must exit non-zero with a message that names it.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_DIR } from '../../scripts/lib/offline';

const TSX_CLI = join(SERVICE_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs scripts/start.ts with args and env; resolves with its exit code and combined output. */
function runStart(args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [TSX_CLI, 'scripts/start.ts', ...args], {
      cwd: SERVICE_DIR,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const timer = setTimeout(() => {
      output += '\n[test] timed out, killing the process group\n';
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Ports 0 everywhere: the run never collides with a developer's `npm start` or another test. */
const EPHEMERAL = { LAMBDA_PORT: '0', PRISM_SIM_PORT: '0', CLOUDTOWER_SIM_PORT: '0', CMP_SIM_PORT: '0' };

describe('npm start -- --once', () => {
  it('runs one full poll cycle per provider through the invoke endpoint and exits 0', async () => {
    const workFolder = join('.esbuild', `start-test-${process.pid}`);
    try {
      const { code, output } = await runStart(
        ['--once'],
        { ...EPHEMERAL, ESBUILD_WORK_FOLDER: workFolder, ESBUILD_WATCH_PATTERN: `${workFolder}/no-watch` },
        150_000,
      );

      expect(code, output).toBe(0);
      for (const fn of [
        'validateCredentials',
        'syncAccount',
        'getResources',
        'getMetrics',
        'getSpend',
        'getLogs',
        'getStatus',
      ]) {
        // One ✓ line per provider for each step.
        expect(output.match(new RegExp(`✓ ${fn}\\b`, 'g'))?.length, `${fn}\n${output}`).toBe(2);
      }
      expect(output).toMatch(/nutanix: \d+ compute_pool, \d+ network, \d+ server, \d+ volume/);
      expect(output).toMatch(/cloudtower: \d+ compute_pool, \d+ network, \d+ server, \d+ volume/);
      expect(output).toContain('task progress (CMP): 0% → ');
      expect(output).toContain('Poll cycle passed');
      // The streaming functions ran from their packaged bundles, each next to its buffered twin.
      expect(
        output.match(
          /✓ (nutanix|cloudtower) +get(Resources|Metrics|Logs)Stream .* streamed [\d,]+ B, buffered [\d,]+ B/g,
        )?.length,
        output,
      ).toBe(6);
      expect(output).not.toContain('Ready — press Ctrl-C');
    } finally {
      rmSync(join(SERVICE_DIR, workFolder), { recursive: true, force: true });
    }
    // The run's own budget (150 s) is the limit; the default test timeout would cut it short under load.
  }, 170_000);

  it('exits 1 naming the setting when the configuration is wrong', async () => {
    const { code, output } = await runStart(
      ['--once'],
      { ...EPHEMERAL, PROVIDERS: 'nutanix,vsphere' },
      60_000,
    );

    expect(code).toBe(1);
    expect(output).toContain('PROVIDERS');
  });
});
