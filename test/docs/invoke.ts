/**
 * Runs a sample event the way `npm start` serves it: the demo estates of both simulators (the same seeds
 * and scales), the handler named in serverless.yml called in-process as Lambda calls it, and the result
 * checked against what the runner accepts for that function.
 */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../functions/harness';
import { formatSchemaErrors, type SchemaName, schemaValidator } from '../helpers/schemas';
import { CLOUDTOWER_SMALL, startCloudTowerSimulator } from '../simulators/cloudtower';
import { PRISM_DEMO_SCALE, startPrismSimulator } from '../simulators/prism';
import { ROOT, serverlessConfig } from './repo';

/** Where the sample events point: the simulators' default ports under `npm start`. */
export const DEMO_ENDPOINTS: Record<'nutanix' | 'cloudtower', string> = {
  nutanix: 'http://127.0.0.1:19440',
  cloudtower: 'http://127.0.0.1:18443',
};

/** The result schema of each function that has one (the nflex runner's `specs/nflex/schemas`). */
export const RESULT_SCHEMA: Record<string, SchemaName> = {
  getResources: 'get_resources',
  getMetrics: 'get_metrics',
  getSpend: 'get_spend',
  getLogs: 'get_logs',
  getStatus: 'get_status',
};

/** The demo simulators, on ephemeral ports. */
export interface DemoSimulators {
  endpoints: Record<'nutanix' | 'cloudtower', string>;
  stop(): Promise<void>;
}

/** Starts both simulators with the estates `npm start` serves. */
export async function startDemoSimulators(): Promise<DemoSimulators> {
  const [prism, tower] = await Promise.all([
    startPrismSimulator({ ...PRISM_DEMO_SCALE }),
    startCloudTowerSimulator({ ...CLOUDTOWER_SMALL }),
  ]);
  return {
    endpoints: { nutanix: prism.baseUrl, cloudtower: tower.baseUrl },
    stop: async () => {
      await Promise.all([prism.stop(), tower.stop()]);
    },
  };
}

/** True for the streaming functions, which Lambda calls with a response stream instead of returning. */
export function isStreaming(fn: string): boolean {
  return fn.endsWith('Stream');
}

/** The buffered function a streaming one mirrors (`getResourcesStream` → `getResources`). */
export function bufferedTwin(fn: string): string {
  return fn.slice(0, -'Stream'.length);
}

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;
const handlers = new Map<string, LambdaHandler>();

/** The handler serverless.yml names for `fn` (`functions/get-resources.handler` → its export). */
export async function handlerOf(fn: string): Promise<LambdaHandler> {
  const cached = handlers.get(fn);
  if (cached) return cached;
  const spec = serverlessConfig().functions[fn];
  if (!spec) throw new Error(`${fn} is not a function in serverless.yml`);
  const dot = spec.handler.lastIndexOf('.');
  const file = join(ROOT, `${spec.handler.slice(0, dot)}.ts`);
  const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  const handler = module[spec.handler.slice(dot + 1)];
  if (typeof handler !== 'function') throw new Error(`${spec.handler} does not export a function`);
  handlers.set(fn, handler as LambdaHandler);
  return handler as LambdaHandler;
}

/** Invokes `fn` with `event` in-process. */
export async function invoke(fn: string, event: unknown): Promise<unknown> {
  const handler = await handlerOf(fn);
  return handler(structuredClone(event), lambdaContext());
}

/** The event with its loopback endpoint moved to the running simulator (the ports differ in tests). */
export function onSimulators(event: Record<string, unknown>, sims: DemoSimulators): Record<string, unknown> {
  const provider = event.provider as 'nutanix' | 'cloudtower';
  const credentials = event.credentials as Record<string, unknown> | undefined;
  if (!credentials || typeof credentials.endpoint !== 'string') return event;
  return { ...event, credentials: { ...credentials, endpoint: sims.endpoints[provider] } };
}

/** What is wrong with a function's result, as readable lines (empty when it is what the runner accepts). */
export function resultProblems(fn: string, result: unknown): string[] {
  const problems: string[] = [];
  const schema = RESULT_SCHEMA[fn];
  if (schema) {
    const validate = schemaValidator(schema);
    if (!validate(result))
      problems.push(`not valid against ${schema}.json: ${formatSchemaErrors(validate.errors)}`);
  }
  const r = result as Record<string, unknown> | unknown[] | null;
  const emptyWhy: Record<string, () => boolean> = {
    validateCredentials: () => (r as { ok?: unknown })?.ok !== true,
    syncAccount: () => typeof (r as { id?: unknown })?.id !== 'string',
    getResources: () => !Array.isArray(r) || r.length === 0,
    getMetrics: () =>
      !Array.isArray((r as { metrics?: unknown })?.metrics) || (r as { metrics: [] }).metrics.length === 0,
    getSpend: () =>
      !Array.isArray((r as { items?: unknown })?.items) || (r as { items: [] }).items.length === 0,
  };
  if (emptyWhy[fn]?.()) problems.push(`an empty or failed result: ${JSON.stringify(result).slice(0, 300)}`);
  return problems;
}
