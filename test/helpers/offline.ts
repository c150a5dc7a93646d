/**
 * serverless-offline for tests: one process per test file, on free ports, bundling into its own esbuild
 * work folder (so a running `npm start` or another test file is never clobbered), removed on stop.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorKindOf,
  type FunctionKey,
  type Invocation,
  type RunningOffline,
  SERVICE_DIR,
  startOffline,
} from '../../scripts/lib/offline';

export { errorKindOf, type FunctionKey, type Invocation, type RunningOffline };

/** Starts offline on an ephemeral Lambda port with `env` for the handlers; stop() also removes its build. */
export async function startTestOffline(env: Record<string, string> = {}): Promise<RunningOffline> {
  const workFolder = join('.esbuild', `test-${process.pid}-${Date.now()}`);
  const remove = () => rmSync(join(SERVICE_DIR, workFolder), { recursive: true, force: true });
  let offline: RunningOffline;
  try {
    // Nothing to watch: an edit elsewhere in the tree must not rebuild and reload a handler mid-test.
    const testEnv = { ESBUILD_WATCH_PATTERN: `${workFolder}/no-watch`, ...env };
    offline = await startOffline({ workFolder, env: testEnv, startTimeoutMs: 150_000 });
  } catch (err) {
    remove();
    // The captured output is the only clue when bundling or start-up fails.
    const output = (err as { output?: string }).output;
    if (output) console.error(`serverless-offline output:\n${output}`);
    throw err;
  }
  return {
    ...offline,
    stop: async () => {
      await offline.stop();
      remove();
    },
  };
}
