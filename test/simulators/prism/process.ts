/**
 * The Prism simulator in its own process, for benchmarks: the collector under test then owns its process
 * (CPU, event loop, garbage collector), as it would against a real Prism Central on another machine. The
 * simulator is the same one `startPrismSimulator` starts, with the same latency and fault semantics; only
 * declarative options cross the process boundary (no FaultRule/`exempt` functions).
 */
import { startSimulatorInChild } from '../common';
import type { SimStats } from '../common/server';
import type { PrismSimulatorOptions } from '.';
import type { PrismWorld } from './model';

/** A Prism simulator running in a child process. */
export interface PrismSimulatorProcess {
  baseUrl: string;
  /** The estate as it is now. */
  truth(): Promise<PrismWorld>;
  /** The server's request statistics. */
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

/** Options that cannot be sent to another process (functions) are rejected up front, not silently dropped. */
function assertSerialisable(options: PrismSimulatorOptions): void {
  const faults = options.faults;
  if (faults?.rules?.length || faults?.exempt) {
    throw new TypeError(
      'startPrismSimulatorProcess: fault rules and `exempt` are functions; use startPrismSimulator',
    );
  }
}

/** Starts the Prism simulator in a child process and resolves once it listens on loopback. */
export async function startPrismSimulatorProcess(
  options: PrismSimulatorOptions,
): Promise<PrismSimulatorProcess> {
  assertSerialisable(options);
  const child = await startSimulatorInChild({
    module: 'test/simulators/prism/index.ts',
    start: 'startPrismSimulator',
    options: options as unknown as Record<string, unknown>,
  });
  return {
    baseUrl: child.baseUrl,
    truth: () => child.call<PrismWorld>('truth'),
    stats: () => child.call<SimStats>('stats'),
    resetStats: async () => {
      await child.call('resetStats');
    },
    stop: () => child.stop(),
  };
}
