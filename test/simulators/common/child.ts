/**
 * Runs a simulator in a child process. Benchmarks measure the collector, not the simulator: on a 2-core
 * machine a simulator in the same process steals the collector's CPU (JSON generation, GC), which a real
 * Prism or CloudTower on another machine never does. Options and results cross the process boundary as
 * JSON, so only declarative fault plans (latency, transientRate, expireSessionsAfter…) can be used here.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What to start in the child: a module (path relative to the repository root) and its start function. */
export interface ChildSimulatorSpec {
  /** e.g. 'test/simulators/prism/index.ts' */
  module: string;
  /** Exported async function `(options) => { baseUrl, stop(), ... }`. */
  start: string;
  /** JSON-serialisable options for the start function. */
  options: Record<string, unknown>;
}

/** A simulator running in a child process. */
export interface ChildSimulator {
  baseUrl: string;
  /** Calls a command in the child: 'truth' (ground truth), 'stats' (SimServer stats), 'resetStats', 'setFaults'. */
  call<T = unknown>(command: string, arg?: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  ready?: boolean;
  baseUrl?: string;
  result?: unknown;
  error?: string;
}

const ENTRY = fileURLToPath(new URL('./child-entry.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Forks a child (TypeScript via tsx), starts the simulator there and resolves once it listens. */
export async function startSimulatorInChild(spec: ChildSimulatorSpec): Promise<ChildSimulator> {
  const child: ChildProcess = fork(ENTRY, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, SIM_SPEC: JSON.stringify(spec) },
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`simulator child exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (msg: Reply) => {
      if (msg.ready && msg.baseUrl) {
        child.off('exit', onExit);
        resolve(msg.baseUrl);
      } else if (msg.error && msg.id === undefined) {
        reject(new Error(`simulator child failed to start: ${msg.error}`));
      } else if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error));
        else p?.resolve(msg.result);
      }
    });
  });
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('simulator child exited'));
    pending.clear();
  });

  return {
    baseUrl,
    call<T>(command: string, arg?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, arg });
      });
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ command: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
