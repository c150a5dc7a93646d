/** SSM at the client edge (aws-sdk-client-mock): decryption requested, TTL cache, missing parameters. */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../lib/config/credentials';
import { clearParameterCache, getParameter, ParameterNotFoundError } from '../../lib/config/ssm';
import { ConfigurationError, TransientError } from '../../lib/errors';

const ssm = mockClient(SSMClient);

beforeEach(() => {
  ssm.reset();
  clearParameterCache();
});
afterEach(() => {
  delete process.env.SSM_CACHE_TTL_SECONDS;
  delete process.env.CREDENTIALS_SSM_PARAMETER;
});

/** A ParameterNotFound error as the SDK throws it. */
function notFound(): Error {
  const e = new Error('Parameter /x not found.');
  e.name = 'ParameterNotFound';
  return e;
}

describe('SSM parameters', () => {
  it('asks for decryption and caches the value within the TTL', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'v1' } });
    expect(await getParameter('/p')).toBe('v1');
    expect(await getParameter('/p')).toBe('v1');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/p',
      WithDecryption: true,
    });
  });

  it('reads again when caching is disabled (TTL 0)', async () => {
    process.env.SSM_CACHE_TTL_SECONDS = '0';
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: 'v1' } })
      .resolves({ Parameter: { Value: 'v2' } });
    expect(await getParameter('/p')).toBe('v1');
    expect(await getParameter('/p')).toBe('v2');
  });

  it('a missing or empty parameter is ParameterNotFoundError; other failures name only the error', async () => {
    ssm.on(GetParameterCommand, { Name: '/missing' }).rejects(notFound());
    ssm.on(GetParameterCommand, { Name: '/empty' }).resolves({ Parameter: { Value: '  ' } });
    await expect(getParameter('/missing')).rejects.toBeInstanceOf(ParameterNotFoundError);
    await expect(getParameter('/empty')).rejects.toBeInstanceOf(ParameterNotFoundError);
  });

  it.each([
    ['CredentialsProviderError', 'Could not load credentials from any providers', 'no AWS credentials'],
    [
      'AccessDeniedException',
      'User arn:aws:sts::1:assumed-role/x is not authorized',
      'access to it is denied',
    ],
    ['UnrecognizedClientException', 'The security token included in the request is invalid', 'denied'],
    ['KMSAccessDeniedException', 'denied by key policy', 'cannot be decrypted'],
    ['Error', 'Region is missing', 'no AWS region'],
  ])(
    '%s is a configuration error naming the parameter and the cause, never transient',
    async (name, message, cause) => {
      const err = Object.assign(new Error(message), { name });
      ssm.on(GetParameterCommand).rejects(err);
      const failure = await getParameter('/cfg').catch((e: Error) => e);
      expect(failure).toBeInstanceOf(ConfigurationError);
      expect(failure).not.toBeInstanceOf(TransientError);
      expect((failure as Error).message).toMatch(/^SSM parameter \/cfg: /);
      expect((failure as Error).message).toContain(cause);
      expect((failure as Error).message).not.toContain('arn:aws');
    },
  );

  it('throttling and AWS-side errors stay transient', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(getParameter('/busy')).rejects.toBeInstanceOf(TransientError);
  });
});

describe('credentials from SSM', () => {
  const stored = JSON.stringify({ host: 'pc.corp', username: 'svc', password: 'ssm-secret-pw' });

  it('resolves {ssm_parameter} and registers the secret before validating', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/nflex-connector/prism' })
      .resolves({ Parameter: { Value: stored } });
    const secrets: string[] = [];
    const c = await resolveCredentials('nutanix', { ssm_parameter: '/nflex-connector/prism' }, (s) =>
      secrets.push(s),
    );
    expect(c).toMatchObject({
      prism: { endpoint: 'https://pc.corp:9440', username: 'svc', password: 'ssm-secret-pw' },
    });
    expect(secrets).toContain('ssm-secret-pw');
  });

  it('uses CREDENTIALS_SSM_PARAMETER only when the event has no credentials', async () => {
    process.env.CREDENTIALS_SSM_PARAMETER = '/nflex-connector/default';
    ssm
      .on(GetParameterCommand, { Name: '/nflex-connector/default' })
      .resolves({ Parameter: { Value: stored } });
    const c = await resolveCredentials('nutanix', undefined, () => undefined);
    expect(c).toMatchObject({ prism: { username: 'svc' } });
  });

  it('a missing parameter is a configuration error naming it and credentials.ssm_parameter', async () => {
    ssm.on(GetParameterCommand).rejects(notFound());
    const p = resolveCredentials('nutanix', { ssm_parameter: '/nope' }, () => undefined);
    await expect(p).rejects.toBeInstanceOf(ConfigurationError);
    await expect(p).rejects.toThrow(
      'SSM parameter /nope (credentials.ssm_parameter): does not exist or is empty',
    );
  });

  it('a parameter that is not JSON is a configuration error that does not quote its value', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'hunter2-plain' } });
    const p = resolveCredentials('nutanix', { ssm_parameter: '/bad' }, () => undefined);
    await expect(p).rejects.toBeInstanceOf(ConfigurationError);
    await expect(p).rejects.toThrow('SSM parameter /bad (credentials.ssm_parameter): is not readable JSON');
    await expect(p).rejects.not.toThrow('hunter2');
  });

  it('malformed credentials in a parameter are a configuration error that does not quote them', async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: {
        Value: JSON.stringify({ endpoint: 'https://u:Pw-In-Url-9@h:0', username: 'u', password: 'p' }),
      },
    });
    const p = resolveCredentials('nutanix', { ssm_parameter: '/odd' }, () => undefined);
    await expect(p).rejects.toBeInstanceOf(ConfigurationError);
    await expect(p).rejects.toThrow(/SSM parameter \/odd.*endpoint/);
    await expect(p).rejects.not.toThrow('Pw-In-Url-9');
  });
});
