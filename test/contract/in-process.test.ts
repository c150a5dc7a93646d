/** The connector contract (./suite.ts) with the handlers called in-process, on a clock the tests hold. */
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { captureLogs, lambdaContext } from '../functions/harness';
import { type ContractFunction, connectorContract } from './suite';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const HANDLERS: Record<ContractFunction, Handler> = {
  validateCredentials: validateCredentials as Handler,
  getResources: getResources as Handler,
  getMetrics: getMetrics as Handler,
  getSpend: getSpend as Handler,
  syncAccount: syncAccount as Handler,
};

connectorContract({
  async start(env) {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const logs = captureLogs();
    return {
      async invoke(fn, event) {
        try {
          return { ok: true, result: await HANDLERS[fn](event, lambdaContext()) };
        } catch (err) {
          const e = err as Error;
          // The document a Lambda runtime would report: name, message and stack.
          return { ok: false, kind: e.name, message: e.message, document: { ...e, stack: e.stack } };
        }
      },
      output: () => logs.lines.join('\n'),
      async stop() {
        logs.stop();
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      },
    };
  },
  setClock: (now) => setClock(now ? fixedClock(now) : null),
  largeEstate: false,
});
