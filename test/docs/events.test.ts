/**
 * Every file in events/ is a valid event for the function its name gives and runs green against the demo
 * simulators `npm start` serves; every function in serverless.yml has a sample event. Templates for real
 * systems (`*.example.json`) run with their placeholder host and secrets swapped for the simulator's, and
 * an `ssm_parameter` template runs with SSM answering the simulator's credentials. A streaming function's
 * event runs through its buffered twin (`getResourcesStream` → `getResources`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearParameterCache } from '../../lib/config/ssm';
import { CLOUDTOWER_SIM_CREDENTIALS } from '../simulators/cloudtower';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME } from '../simulators/prism';
import {
  bufferedTwin,
  DEMO_ENDPOINTS,
  type DemoSimulators,
  invoke,
  isStreaming,
  onSimulators,
  resultProblems,
  startDemoSimulators,
} from './invoke';
import { type EventFile, eventFiles, functionKeys, ROOT } from './repo';

const SIM_LOGIN = {
  nutanix: { username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD },
  cloudtower: {
    username: CLOUDTOWER_SIM_CREDENTIALS.username,
    password: CLOUDTOWER_SIM_CREDENTIALS.password,
  },
};

const parsed = eventFiles();
const files = parsed.filter((f): f is EventFile => typeof f !== 'string');
const runs = files.flatMap((file) => (file.fn ? [file.fn] : functionKeys()).map((fn) => ({ file, fn })));

let sims: DemoSimulators;
const ssm = mockClient(SSMClient);

beforeAll(async () => {
  sims = await startDemoSimulators();
});
afterAll(async () => {
  ssm.restore();
  await sims?.stop();
});

function readEvent(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;
}

/** The event as it runs here: on the ephemeral simulator, templates with the simulator's login. */
function runnable(file: EventFile, event: Record<string, unknown>): Record<string, unknown> {
  const credentials = event.credentials as Record<string, unknown>;
  if (file.example && credentials && typeof credentials.ssm_parameter === 'string') {
    // What the template's parameter would hold: the same JSON as inline credentials.
    clearParameterCache();
    ssm.reset();
    ssm.on(GetParameterCommand, { Name: credentials.ssm_parameter, WithDecryption: true }).resolves({
      Parameter: {
        Value: JSON.stringify({ endpoint: sims.endpoints[file.provider], ...SIM_LOGIN[file.provider] }),
      },
    });
    return event;
  }
  if (file.example) {
    const { host: _host, port: _port, ...rest } = credentials;
    return {
      ...event,
      credentials: { ...rest, endpoint: sims.endpoints[file.provider], ...SIM_LOGIN[file.provider] },
    };
  }
  return onSimulators(event, sims);
}

describe('events/', () => {
  it('every file name says which function and provider it is for', () => {
    expect(parsed.filter((f) => typeof f === 'string')).toEqual([]);
  });

  it('every function in serverless.yml has a sample event named for it', () => {
    const named = new Set(files.map((f) => f.fn));
    const missing = functionKeys().filter((fn) => !named.has(fn));
    expect(
      missing.map(
        (fn) => `no events/${fn}.<prism|cloudtower>.json for ${fn}; add one and link it in docs/functions.md`,
      ),
    ).toEqual([]);
  });

  it.each(files.map((f) => [f.path, f] as const))(
    '%s is an event for the provider its name gives',
    (_p, file) => {
      const event = readEvent(file.path);
      expect(event.provider, `${file.path}: "provider"`).toBe(file.provider);
      const credentials = event.credentials as Record<string, unknown> | undefined;
      expect(credentials, `${file.path}: "credentials"`).toBeTypeOf('object');
      if (!file.example) {
        // Runnable as is against `npm start`'s simulators (default ports).
        expect(credentials?.endpoint, `${file.path}: credentials.endpoint`).toBe(
          DEMO_ENDPOINTS[file.provider],
        );
      }
    },
  );

  it.each(runs.map((r) => [r.file.path, r.fn, r] as const))(
    '%s → %s runs green on the demo simulators',
    async (_p, _fn, { file, fn }) => {
      // A streaming function takes the same event and streams what its buffered twin returns (their own
      // tests compare the two), so its event is run through the twin here.
      const target = isStreaming(fn) ? bufferedTwin(fn) : fn;
      const result = await invoke(target, runnable(file, readEvent(file.path)));
      expect(resultProblems(target, result), `${file.path} → ${target}`).toEqual([]);
    },
  );
});
