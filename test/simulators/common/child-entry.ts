/** Child-process side of ./child.ts: start the named simulator, report its URL, answer commands over IPC. */
import { pathToFileURL } from 'node:url';
import type { ChildSimulatorSpec } from './child';
import type { FaultPlan, SimServer } from './server';

interface StartedSimulator {
  baseUrl: string;
  stop(): Promise<void>;
  sim?: unknown;
  truth?: unknown;
}

/** Finds the SimServer inside a started simulator handle (`sim` itself, or `sim.server`). */
function simServerOf(started: StartedSimulator): SimServer | undefined {
  const sim = started.sim as { server?: SimServer; stats?: unknown } | undefined;
  if (sim && 'stats' in sim && 'setFaults' in sim) return sim as unknown as SimServer;
  return sim?.server;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.SIM_SPEC ?? '{}') as ChildSimulatorSpec;
  const mod = (await import(pathToFileURL(`${process.cwd()}/${spec.module}`).href)) as Record<
    string,
    unknown
  >;
  const start = mod[spec.start];
  if (typeof start !== 'function') throw new Error(`${spec.module} has no function ${spec.start}`);
  const started = (await start(spec.options)) as StartedSimulator;
  const server = simServerOf(started);

  process.on('message', async (msg: { id?: number; command: string; arg?: unknown }) => {
    if (msg.command === 'stop') {
      await started.stop();
      process.exit(0);
    }
    try {
      let result: unknown;
      switch (msg.command) {
        case 'truth': {
          const t = started.truth;
          result = typeof t === 'function' ? (t as () => unknown)() : t;
          break;
        }
        case 'stats':
          result = server?.stats;
          break;
        case 'resetStats':
          server?.resetStats();
          break;
        case 'setFaults':
          server?.setFaults(msg.arg as FaultPlan);
          break;
        default:
          throw new Error(`unknown command ${msg.command}`);
      }
      process.send?.({ id: msg.id, result });
    } catch (err) {
      process.send?.({ id: msg.id, error: (err as Error).message });
    }
  });
  process.send?.({ ready: true, baseUrl: started.baseUrl });
  // Die with the parent: an orphaned simulator would hold its port.
  process.on('disconnect', () => process.exit(0));
}

main().catch((err: unknown) => {
  process.send?.({ error: (err as Error).stack ?? String(err) });
  process.exit(1);
});
