/**
 * `npm start`: the simulators, a simulated CMP API and serverless-offline on loopback, one poll cycle per
 * provider through the Lambda invoke endpoint, a printed summary, then serving until Ctrl-C (`-- --once` exits
 * after the cycle; a failed cycle exits 1). Settings: docs/operating.md, "npm start settings".
 */
import { parsePort } from '../lib/http/ports';
// The small realistic estates of the demo run; the sample events in events/ name resources in them.
import {
  CLOUDTOWER_SIM_PASSWORD,
  CLOUDTOWER_SIM_USERNAME,
  CLOUDTOWER_SMALL,
  startCloudTowerSimulator,
} from '../test/simulators/cloudtower';
import { type CmpSimulator, startCmpSimulator } from '../test/simulators/cmp';
import {
  PRISM_DEMO_SCALE,
  PRISM_SIM_PASSWORD,
  PRISM_SIM_USERNAME,
  startPrismSimulator,
} from '../test/simulators/prism';
import {
  FUNCTION_KEYS,
  OfflineStartError,
  type RunningOffline,
  SERVICE_NAME,
  startOffline,
} from './lib/offline';
import {
  type CycleReport,
  type CycleTarget,
  formatCounts,
  type ProviderName,
  runPollCycle,
} from './lib/poll-cycle';
import { compareStreamed } from './lib/stream-check';
import {
  endpointOfCredentials,
  providersFromEnv,
  type TargetSource,
  targetSourceFromEnv,
  usesSimulatedCmpApi,
} from './lib/targets';

/** Ports of the simulators the sample events in events/ point at. */
const DEFAULT_PORTS = { lambda: 3002, prism: 19440, cloudtower: 18443, cmp: 18080 };
const SAMPLE_EVENT: Record<ProviderName, string> = {
  nutanix: 'events/prism.json',
  cloudtower: 'events/cloudtower.json',
};
const LABEL: Record<ProviderName, string> = {
  nutanix: 'Nutanix Prism Central',
  cloudtower: 'SmartX CloudTower',
};

/** A port from env, or the default. */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  // A port to listen on: 0 asks the OS for any free one (tests use that); anything else must be a real port.
  if (raw.trim() === '0') return 0;
  try {
    return parsePort(raw, name);
  } catch {
    throw new Error(
      `${name}: expected a TCP port 1–65535 (or 0 for any free port), got ${JSON.stringify(raw)}`,
    );
  }
}

/** Wraps a listen failure on a fixed port into a message that says which env var moves it. */
async function onPort<T>(what: string, envName: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `${what}: port ${port} is in use (another npm start?). Set ${envName} to another port.`,
      );
    }
    throw err;
  }
}

const ms = (n: number) => `${Math.round(n)} ms`.padStart(8);

/** Prints one provider's cycle. */
function printCycle(report: CycleReport, cmp: CmpSimulator | null): void {
  const { target } = report;
  console.log(`\n${target.label} (${target.provider}) — ${target.endpoint}`);
  for (const s of report.steps) {
    console.log(`  ${s.ok ? '✓' : '✗'} ${s.fn.padEnd(20)}${ms(s.durationMs)}  ${s.summary}`);
  }
  if (Object.keys(report.metricCounts).length > 0) {
    console.log('    metrics:');
    for (const name of Object.keys(report.metricCounts).sort()) {
      console.log(`      ${name.padEnd(18)} ${report.metricCounts[name]}`);
    }
  }
  if (Object.keys(report.logCounts).length > 0) {
    console.log('    log lines (open alerts) per severity:');
    for (const sev of ['CRITICAL', 'WARNING', 'INFO'].filter((k) => report.logCounts[k] !== undefined)) {
      console.log(`      ${sev.padEnd(18)} ${report.logCounts[sev]}`);
    }
  }
  if (Object.keys(report.levelCounts).length > 0) {
    console.log('    status (clusters, hosts, VMs) per level:');
    for (const level of ['level 0', 'level 1', 'level 2']) {
      console.log(`      ${level.padEnd(18)} ${report.levelCounts[level] ?? 0}`);
    }
  }
  if (cmp) {
    const progress = cmp.progressOf(report.taskId);
    if (progress.length > 0) console.log(`    task progress (CMP): ${progress.join('% → ')}%`);
    const accountId = String(target.event.account_id);
    console.log(`    account updates (CMP): ${cmp.accountBodiesOf(accountId).length}`);
  }
}

/** The base event for a target source once the simulators are up. */
function targetFor(source: TargetSource, sims: { prism?: string; cloudtower?: string }): CycleTarget {
  const ids = {
    account_id: `local-${source.provider}-account`,
    customer_id: 'local-customer',
    user_id: 'local-user',
  };
  if (source.kind === 'event-file') {
    return {
      provider: source.provider,
      label: `${LABEL[source.provider]} (${source.file})`,
      endpoint: endpointOfCredentials(source.event.credentials, source.provider),
      event: { ...ids, ...source.event },
    };
  }
  if (source.kind === 'env') {
    return {
      provider: source.provider,
      label: LABEL[source.provider],
      endpoint: source.endpoint,
      event: { ...ids, credentials: source.credentials },
    };
  }
  const endpoint = source.provider === 'nutanix' ? sims.prism : sims.cloudtower;
  if (!endpoint) throw new Error(`the ${source.provider} simulator is not running`);
  const credentials =
    source.provider === 'nutanix'
      ? { endpoint, username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD }
      : { endpoint, username: CLOUDTOWER_SIM_USERNAME, password: CLOUDTOWER_SIM_PASSWORD, source: 'LOCAL' };
  return {
    provider: source.provider,
    label: `${LABEL[source.provider]} (simulated)`,
    endpoint,
    event: { ...ids, credentials },
  };
}

/** The copy-pasteable commands printed once the cycle succeeded. */
function printReady(offline: RunningOffline, sources: TargetSource[], cmp: CmpSimulator | null): void {
  console.log('\nReady — press Ctrl-C to stop\n');
  console.log(
    `Lambda invoke endpoint: http://localhost:${offline.lambdaPort}/2015-03-31/functions/${SERVICE_NAME}-${offline.stage}-<function>/invocations`,
  );
  console.log(`Functions: ${FUNCTION_KEYS.join(', ')}`);
  console.log(
    'Streaming (not served by offline): npm run invoke:stream -- getResourcesStream events/getResourcesStream.prism.json\n',
  );
  console.log('Invoke them yourself, e.g.:');
  for (const source of sources) {
    const file =
      source.kind === 'event-file'
        ? source.file
        : source.kind === 'simulator'
          ? SAMPLE_EVENT[source.provider]
          : null;
    if (!file) {
      console.log(
        `  (${source.provider}: write an event file like ${SAMPLE_EVENT[source.provider]} for your system)`,
      );
      continue;
    }
    for (const fn of ['getResources', 'getMetrics'] as const) {
      console.log(`  curl -s -X POST ${offline.invokeUrl(fn).replace('127.0.0.1', 'localhost')} -d @${file}`);
    }
  }
  console.log('\nOr with the AWS CLI:');
  console.log(
    `  aws lambda invoke --endpoint-url http://localhost:${offline.lambdaPort} --no-sign-request --function-name ${SERVICE_NAME}-${offline.stage}-validateCredentials --cli-binary-format raw-in-base64-out --payload file://events/prism.json /dev/stdout`,
  );
  if (cmp)
    console.log(
      `\nSimulated CMP API: ${cmp.baseUrl} (records /logs, /tasks/{id}/update, /accounts/{id}/resource)`,
    );
}

/** Entry point. */
async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const started = performance.now();
  const stops: Array<() => Promise<void>> = [];
  let offline: RunningOffline | null = null;

  const shutdown = async () => {
    // Offline first (it calls the others), then the servers, newest first.
    if (offline) await offline.stop().catch(() => undefined);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping serverless-offline and the simulators…`);
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const sources = providersFromEnv().map((p) => targetSourceFromEnv(p));
    const sims: { prism?: string; cloudtower?: string } = {};
    if (sources.some((s) => s.kind === 'simulator' && s.provider === 'nutanix')) {
      const port = portFromEnv('PRISM_SIM_PORT', DEFAULT_PORTS.prism);
      const prism = await onPort('Prism simulator', 'PRISM_SIM_PORT', port, () =>
        startPrismSimulator({ ...PRISM_DEMO_SCALE, port }),
      );
      stops.push(prism.stop);
      sims.prism = prism.baseUrl;
    }
    if (sources.some((s) => s.kind === 'simulator' && s.provider === 'cloudtower')) {
      const port = portFromEnv('CLOUDTOWER_SIM_PORT', DEFAULT_PORTS.cloudtower);
      const tower = await onPort('CloudTower simulator', 'CLOUDTOWER_SIM_PORT', port, () =>
        startCloudTowerSimulator({ ...CLOUDTOWER_SMALL, port }),
      );
      stops.push(tower.stop);
      sims.cloudtower = tower.baseUrl;
    }

    // A real CMP API when configured, else the simulated one (so progress and account updates are visible).
    let cmp: CmpSimulator | null = null;
    const cmpEnv: Record<string, string> = {};
    if (usesSimulatedCmpApi()) {
      const port = portFromEnv('CMP_SIM_PORT', DEFAULT_PORTS.cmp);
      cmp = await onPort('CMP API simulator', 'CMP_SIM_PORT', port, () => startCmpSimulator({ port }));
      stops.push(cmp.stop);
      cmpEnv.CMP_API_URL = cmp.baseUrl;
      cmpEnv.CMP_API_KEY = cmp.apiKey ?? '';
      cmpEnv.NFLEX_MODULE_ID = process.env.NFLEX_MODULE_ID || 'local-module';
    }
    const simLine = [
      sims.prism ? `Prism ${sims.prism}` : null,
      sims.cloudtower ? `CloudTower ${sims.cloudtower}` : null,
      cmp ? `CMP API ${cmp.baseUrl}` : null,
    ].filter(Boolean);
    if (simLine.length > 0) console.log(`Simulators: ${simLine.join(', ')}`);

    console.log('Starting serverless-offline (bundling the handlers with esbuild)…');
    const lambdaPort = portFromEnv('LAMBDA_PORT', DEFAULT_PORTS.lambda);
    const offlineStarted = performance.now();
    offline = await startOffline({ lambdaPort, env: cmpEnv });
    console.log(
      `serverless-offline listening on :${offline.lambdaPort} after ${ms(performance.now() - offlineStarted).trim()}`,
    );

    const reports: CycleReport[] = [];
    for (const source of sources) {
      const target = targetFor(source, sims);
      reports.push(await runPollCycle(offline, target));
      printCycle(reports[reports.length - 1]!, cmp);
    }
    if (cmp)
      console.log(
        `\nCMP API saw ${cmp.logs.length} log lines, ${cmp.taskUpdates.length} progress updates, ${cmp.accountUpdates.length} account updates`,
      );
    const failed = reports.filter((r) => !r.ok);
    let streamFailed = false;
    if (failed.length === 0) {
      console.log('\nStreaming functions (packaged bundles, Lambda response streaming emulated locally):');
      for (const c of await compareStreamed(reports)) {
        const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
        console.log(
          `  ${c.ok ? '✓' : '✗'} ${c.provider.padEnd(10)} ${c.fn.padEnd(20)}${ms(c.durationMs)}  streamed ${bytes(c.streamedBytes)}, buffered ${bytes(c.bufferedBytes)} — ${c.summary}`,
        );
        if (!c.ok) streamFailed = true;
      }
    }
    if (streamFailed) {
      await shutdown();
      return 1;
    }
    console.log(
      `\nPoll cycle ${failed.length === 0 ? 'passed' : 'FAILED'} in ${ms(performance.now() - started).trim()}`,
    );
    if (failed.length > 0) {
      for (const r of failed) {
        const bad = r.steps.find((s) => !s.ok);
        console.error(
          `✗ ${r.target.provider}: ${bad?.fn ?? '?'} failed — ${bad?.summary ?? 'unknown error'}`,
        );
      }
      console.error('\n--- serverless-offline output ---\n' + offline.output());
      await shutdown();
      return 1;
    }
    const total = reports.map((r) => `${r.target.provider}: ${formatCounts(r.resourceCounts)}`).join('; ');
    console.log(`Resources — ${total}`);

    if (once) {
      await shutdown();
      return 0;
    }
    printReady(offline, sources, cmp);
    // Keep serving: the servers hold the event loop open until a signal arrives.
    return await new Promise<number>(() => undefined);
  } catch (err) {
    console.error(`\nnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof OfflineStartError && err.output)
      console.error('\n--- serverless-offline output ---\n' + err.output);
    else if (offline) console.error('\n--- serverless-offline output ---\n' + offline.output());
    await shutdown();
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
