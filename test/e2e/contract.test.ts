/**
 * The connector contract (./../contract/suite.ts) through serverless-offline's Lambda invoke endpoint: the
 * real esbuild bundles and middlewares, on the real clock. One offline process serves the whole file
 * (bundling at start-up dominates the run time).
 */
import { expect } from 'vitest';
import { connectorContract } from '../contract/suite';
import { startTestOffline } from '../helpers/offline';

connectorContract({
  async start(env) {
    const offline = await startTestOffline(env);
    return {
      async invoke(fn, event) {
        const inv = await offline.invoke(fn, event);
        // As on AWS: the invoke call succeeds, and a thrown error is reported as Unhandled.
        expect(inv.status, `${fn} invoke status`).toBe(200);
        if (inv.functionError === null) return { ok: true, result: inv.payload };
        expect(inv.functionError).toBe('Unhandled');
        return { ok: false, kind: inv.errorKind, message: inv.errorMessage, document: inv.payload };
      },
      output: () => offline.output(),
      stop: () => offline.stop(),
    };
  },
});
