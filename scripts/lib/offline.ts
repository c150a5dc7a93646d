/**
 * Runs `serverless offline start` (osls + serverless-esbuild + serverless-offline) as a child process and
 * invokes the functions through its Lambda invoke endpoint, exactly as the AWS SDK would. Its chatty output
 * is kept in a buffer and only shown when something fails. Shared by `npm start` and the e2e tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the serverless service directory). */
export const SERVICE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `service` in serverless.yml. */
export const SERVICE_NAME = 'nflex-connector';
/** The serverless.yml function keys (docs/architecture.md "Fixed interface contract"). */
export const FUNCTION_KEYS = [
  'validateCredentials',
  'getResources',
  'getMetrics',
  'getSpend',
  'syncAccount',
  'getLogs',
  'getStatus',
] as const;
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

export const OSLS_BIN = join(SERVICE_DIR, 'node_modules', 'osls', 'bin', 'serverless.js');
const MAX_OUTPUT_CHARS = 200_000;

/** Options of startOffline. */
export interface OfflineOptions {
  /** Lambda invoke port (0 or omitted: a free ephemeral port). */
  lambdaPort?: number;
  /** Extra env for the offline process; serverless.yml passes the declared ones on to the handlers. */
  env?: Record<string, string>;
  /** serverless-esbuild work folder, relative to the service dir (default `.esbuild`). */
  workFolder?: string;
  stage?: string;
  /** How long bundling + start-up may take (default 120 s). */
  startTimeoutMs?: number;
}

/** The outcome of one invocation as the Lambda invoke API reports it. */
export interface Invocation<T = unknown> {
  /** HTTP status of the invoke call (200 even when the function failed, as on AWS). */
  status: number;
  /** The function's result, or the error document `{errorMessage, errorType, trace}`. */
  payload: T;
  /** `x-amz-function-error` ('Unhandled') when the function threw. */
  functionError: string | null;
  /** The error's name (the nflex error kind) when the function threw, else null. */
  errorKind: string | null;
  /** The error message when the function threw, else null. */
  errorMessage: string | null;
  durationMs: number;
}

/** A running serverless-offline. */
export interface RunningOffline {
  lambdaPort: number;
  stage: string;
  /** `http://127.0.0.1:<port>/2015-03-31/functions/<service>-<stage>-<fn>/invocations`. */
  invokeUrl(fn: FunctionKey): string;
  /** Invokes a function synchronously (RequestResponse) with a JSON event. */
  invoke<T = unknown>(
    fn: FunctionKey,
    event: unknown,
    options?: { timeoutMs?: number },
  ): Promise<Invocation<T>>;
  /** Everything offline printed so far (stdout and stderr interleaved, capped). */
  output(): string;
  stop(): Promise<void>;
}

/** Thrown when offline cannot start; carries its captured output. */
export class OfflineStartError extends Error {
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.name = 'OfflineStartError';
    this.output = output;
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The nflex error kind of an invoke error document. AWS puts the error's name into `errorType`;
 * serverless-offline always says "Error" there, but the first trace line is `<name>: <message>`.
 */
export function errorKindOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const doc = payload as { errorType?: unknown; trace?: unknown; stackTrace?: unknown };
  if (typeof doc.errorType === 'string' && doc.errorType !== '' && doc.errorType !== 'Error')
    return doc.errorType;
  const trace = Array.isArray(doc.trace) ? doc.trace : Array.isArray(doc.stackTrace) ? doc.stackTrace : [];
  const first = trace[0];
  const match = typeof first === 'string' ? /^([A-Za-z_$][\w$]*)(?::|$)/.exec(first) : null;
  if (match?.[1]) return match[1];
  return typeof doc.errorType === 'string' ? doc.errorType : null;
}

/** Resolves when the child exits, or after `ms` (false). */
function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Signals the child's whole process group (offline runs esbuild and worker processes under it). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** No telemetry, update checks or interactive prompts: osls must work offline and unattended. */
export function unattendedSlsEnv(): Record<string, string> {
  return {
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    CI: process.env.CI ?? '1',
    FORCE_COLOR: '0',
  };
}

/** Starts serverless-offline and resolves once its Lambda invoke endpoint listens. */
export async function startOffline(options: OfflineOptions = {}): Promise<RunningOffline> {
  if (!existsSync(OSLS_BIN)) throw new OfflineStartError('osls is not installed: run `npm ci` first', '');
  const lambdaPort = options.lambdaPort || (await freePort());
  // offline also wants HTTP and websocket ports; it only opens them for http/websocket events, but two
  // instances must still not collide on the defaults.
  const httpPort = await freePort();
  const websocketPort = await freePort();
  const stage = options.stage ?? 'dev';
  const args = [
    OSLS_BIN,
    'offline',
    'start',
    '--stage',
    stage,
    '--lambdaPort',
    String(lambdaPort),
    '--httpPort',
    String(httpPort),
    '--websocketPort',
    String(websocketPort),
  ];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...unattendedSlsEnv(),
    ...(options.workFolder ? { ESBUILD_WORK_FOLDER: options.workFolder } : {}),
    LAMBDA_PORT: String(lambdaPort),
    ...options.env,
  };

  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  // detached: its own process group, so stop() reaches every descendant and Ctrl-C handling stays ours.
  const child = spawn(process.execPath, args, {
    cwd: SERVICE_DIR,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    if (!(await waitForExit(child, 5_000))) {
      signalGroup(child, 'SIGKILL');
      await waitForExit(child, 5_000);
    }
  };

  const ready = `listening on http://localhost:${lambdaPort}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (!output.includes(ready)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new OfflineStartError(
        `serverless offline exited (code ${child.exitCode}) before listening`,
        output,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new OfflineStartError('serverless offline did not start in time', output);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const invokeUrl = (fn: FunctionKey) =>
    `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${SERVICE_NAME}-${stage}-${fn}/invocations`;

  const invoke = async <T>(fn: FunctionKey, event: unknown, opts: { timeoutMs?: number } = {}) => {
    const started = performance.now();
    const res = await fetch(invokeUrl(fn), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 330_000),
    });
    const text = await res.text();
    const durationMs = performance.now() - started;
    let payload: unknown;
    try {
      payload = text === '' ? null : JSON.parse(text);
    } catch {
      payload = text;
    }
    const functionError = res.headers.get('x-amz-function-error');
    const failed = functionError !== null || res.status !== 200;
    const message =
      failed && typeof payload === 'object' && payload !== null
        ? ((payload as { errorMessage?: string; Message?: string }).errorMessage ??
          (payload as { Message?: string }).Message ??
          null)
        : null;
    return {
      status: res.status,
      payload: payload as T,
      functionError,
      errorKind: failed ? errorKindOf(payload) : null,
      errorMessage: message,
      durationMs,
    } satisfies Invocation<T>;
  };

  return { lambdaPort, stage, invokeUrl, invoke, output: () => output, stop };
}
