/** Simulators a test starts for itself, stopped when it ends (whether it passed or not). */
import { afterEach } from 'vitest';

/** Wraps a simulator's start so that whatever a test starts through it is stopped after that test. */
export function stoppedAfterEach<O, S extends { stop(): Promise<void> }>(
  start: (options: O) => Promise<S>,
): (options: O) => Promise<S> {
  const started: S[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  return async (options) => {
    const sim = await start(options);
    started.push(sim);
    return sim;
  };
}
