/**
 * `{ssm_parameter}` on a machine with no AWS set-up at all, through the real AWS SDK (no mock): the
 * credentials chain finds nothing, and the handlers must say so as a configuration error naming the
 * parameter — validateCredentials as `ok: false` — never as a transient failure the runner retries forever.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getResources } from '../../functions/get-resources';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { clearParameterCache } from '../../lib/config/ssm';
import { lambdaContext, rejection } from '../functions/harness';

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const k of AWS_ENV) saved[k] = process.env[k];
  for (const k of AWS_ENV) delete process.env[k];
  const empty = mkdtempSync(join(tmpdir(), 'no-aws-'));
  process.env.AWS_CONFIG_FILE = join(empty, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
  process.env.AWS_REGION = 'eu-west-1';
  // No instance metadata service here: do not wait for one.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  clearParameterCache();
});

afterAll(() => {
  for (const k of AWS_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const event = {
  provider: 'nutanix',
  account_id: 'acct-no-aws',
  credentials: { ssm_parameter: '/nflex-connector/prism' },
};

describe('an SSM parameter without any AWS credentials', () => {
  it('validateCredentials answers ok:false naming the parameter and the cause', async () => {
    const out = await validateCredentials(event, lambdaContext());
    expect(out).toMatchObject({ ok: false });
    const message = (out as { message: string }).message;
    expect(message).toContain('/nflex-connector/prism');
    expect(message).toContain('no AWS credentials');
  }, 30_000);

  it('every other handler fails with ConfigurationError, not a transient error', async () => {
    const err = await rejection(getResources(event, lambdaContext()));
    expect(err.name).toBe('ConfigurationError');
    expect(err.message).toContain('/nflex-connector/prism');
    expect(err.message).toContain('no AWS credentials');
  }, 30_000);

  it('a malformed event still throws its validation error', async () => {
    const err = await rejection(
      validateCredentials({ provider: 'nutanix', credentials: { ssm_parameter: 5 } }, lambdaContext()),
    );
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('credentials.ssm_parameter: expected a string, got a number');
  });
});
