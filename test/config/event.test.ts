/** Event and credential validation: typed results, defaults, and errors that name the field. */
import { describe, expect, it } from 'vitest';
import { EmptyCredentialsError, parseCredentials } from '../../lib/config/credentials';
import { parseEvent } from '../../lib/config/event';
import { ValidationError } from '../../lib/errors';

const VM_ID = '5b2c3d4e-0000-4000-8000-00000000000a';

/** The message of the error `fn` throws (fails when it does not throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('parseEvent', () => {
  it('reads a full scheduler event and ignores unknown keys', () => {
    const ev = parseEvent({
      account_id: 'a',
      customer_id: 'c',
      provider: 'nutanix',
      poll_interval: 300,
      credentials: { host: 'h' },
      resource: { id: 'r', native_id: VM_ID, type: 'server', poll_interval: 60 },
      last_update: '2026-11-27T10:00:00.000000Z',
      task_id: 't',
      something_new: { nested: true },
    });
    expect(ev).toMatchObject({
      provider: 'nutanix',
      accountId: 'a',
      customerId: 'c',
      pollInterval: 300,
      lastUpdate: '2026-11-27T10:00:00.000000Z',
      taskId: 't',
      resource: { id: 'r', nativeId: VM_ID, type: 'server', pollInterval: 60 },
    });
  });

  it.each([
    [null, 'event: expected an object, got null'],
    [[], 'event: expected an object, got an array'],
    [{}, 'provider: expected one of "nutanix", "cloudtower", got nothing'],
    [{ provider: 'aws' }, 'provider: expected one of "nutanix", "cloudtower", got "aws"'],
    [{ provider: 'nutanix', credentials: 'x' }, 'credentials: expected an object, got a string'],
    [
      { provider: 'nutanix', credentials: 'admin:Hunter2-Secret' },
      'credentials: expected an object, got a string',
    ],
    [
      { provider: 'nutanix', poll_interval: -1 },
      'poll_interval: expected a number of seconds > 0 and ≤ 604800, got -1',
    ],
    [
      { provider: 'nutanix', resource: { id: 'x' } },
      'resource.native_id: expected a non-empty string, got nothing',
    ],
    [{ provider: 'nutanix', account_id: {} }, 'account_id: expected a string, got a object'],
    [
      { provider: 'nutanix', last_update: '2026-11-27T10:00:00Z' },
      'last_update: expected a UTC time like 2026-11-27T10:00:00.000000Z, got "2026-11-27T10:00:00Z"',
    ],
    [
      { provider: 'nutanix', last_update: '2026-02-30T10:00:00.0Z' },
      'last_update: expected a UTC time like 2026-11-27T10:00:00.000000Z, got "2026-02-30T10:00:00.0Z"',
    ],
  ])('rejects %j with "%s"', (raw, message) => {
    const err = errorOf(() => parseEvent(raw));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(message);
  });
});

describe('parseCredentials', () => {
  it('applies the Prism defaults: port 9440, verify_ssl, api auto', () => {
    expect(parseCredentials('nutanix', { host: 'pc.local', username: 'u', password: 'p' })).toEqual({
      provider: 'nutanix',
      prism: {
        endpoint: 'https://pc.local:9440',
        verifySsl: true,
        caCert: undefined,
        username: 'u',
        password: 'p',
        api: 'auto',
      },
    });
  });

  it('CloudTower: port 443 kept explicit, source LOCAL, token instead of a password', () => {
    expect(parseCredentials('cloudtower', { host: 'tower', token: 'tkn' })).toEqual({
      provider: 'cloudtower',
      cloudtower: {
        endpoint: 'https://tower:443',
        verifySsl: true,
        caCert: undefined,
        source: 'LOCAL',
        token: 'tkn',
      },
    });
  });

  it('accepts an endpoint URL, string ports and booleans, and IPv6 hosts', () => {
    const c = parseCredentials('nutanix', {
      endpoint: 'http://127.0.0.1:18443/',
      username: 'u',
      password: 'p',
      verify_ssl: 'false',
      api: 'V3',
    });
    expect(c).toMatchObject({ prism: { endpoint: 'http://127.0.0.1:18443', verifySsl: false, api: 'v3' } });
    const v6 = parseCredentials('cloudtower', {
      host: 'fd00::1',
      port: '8443',
      username: 'u',
      password: 'p',
    });
    expect(v6).toMatchObject({ cloudtower: { endpoint: 'https://[fd00::1]:8443' } });
  });

  it.each([
    [
      { host: 'h', port: 70000, username: 'u', password: 'p' },
      'credentials.port: expected an integer 1–65535, got a number',
    ],
    [
      { host: 'h', verify_ssl: 'yes', username: 'u', password: 'p' },
      'credentials.verify_ssl: expected a boolean, got a string',
    ],
    [
      { host: 'h', api: 'v5', username: 'u', password: 'p' },
      'credentials.api: expected one of "auto", "v4", "v3", got a string',
    ],
    [
      { endpoint: 'ftp://h', username: 'u', password: 'p' },
      'credentials.endpoint: expected an http:// or https:// URL, got a URL with another scheme',
    ],
    [
      { endpoint: 'https://h/api/v3', username: 'u', password: 'p' },
      'credentials.endpoint: expected scheme://host:port with no path or query, got a URL with a path, query or fragment',
    ],
    [
      { host: 'http://h', username: 'u', password: 'p' },
      'credentials.host: expected a host name or IP address (use endpoint for a URL), got a string with a URL character or space in it',
    ],
    [
      { endpoint: 'http://h:0', username: 'u', password: 'p' },
      'credentials.endpoint: expected a URL whose port is 1–65535',
    ],
    [
      { host: 'h', port: 0, username: 'u', password: 'p' },
      'credentials.port: expected an integer 1–65535, got a number',
    ],
    [
      { username: 'u', password: 'p' },
      'credentials.host: expected a host name (or credentials.endpoint), got nothing',
    ],
    [{ host: 'h', username: 'u', password: 12345 }, 'credentials.password: expected a string, got a number'],
  ])('rejects %j', (raw, message) => {
    const err = errorOf(() => parseCredentials('nutanix', raw));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(message);
  });

  it('never echoes user info from an endpoint URL', () => {
    const err = errorOf(() =>
      parseCredentials('nutanix', { endpoint: 'https://admin:s3cr3t@h', username: 'u', password: 'p' }),
    );
    expect(err.message).not.toContain('s3cr3t');
  });

  it('empty credentials are EmptyCredentialsError naming the host and what is missing', () => {
    const err = errorOf(() => parseCredentials('nutanix', { host: 'pc', username: 'u', password: '' }));
    expect(err).toBeInstanceOf(EmptyCredentialsError);
    expect(err.message).toBe('credentials for pc:9440 are empty: password not given');
    const none = errorOf(() => parseCredentials('cloudtower', {}));
    expect(none).toBeInstanceOf(EmptyCredentialsError);
    expect(none.message).toBe('credentials are empty: host, username, password not given');
  });
});
