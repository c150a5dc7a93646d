/** Ports 1–65535 only, wherever a port comes from: credentials, a base URL, the CMP API URL, env ports. */
import { afterEach, describe, expect, it } from 'vitest';
import { cmpApiConfig } from '../../lib/cmp/context';
import { parseCredentials } from '../../lib/config/credentials';
import { ValidationError } from '../../lib/errors';
import { HttpClient } from '../../lib/http';
import { checkUrlPort, parsePort } from '../../lib/http/ports';

afterEach(() => {
  delete process.env.CMP_API_URL;
});

describe('ports', () => {
  it.each(['0', '65536', '-1', '1.5', 'abc', ' ', '99999'])('rejects %j as a port', (raw) => {
    expect(() => parsePort(raw, 'LAMBDA_PORT')).toThrow('LAMBDA_PORT: expected a port 1–65535');
  });

  it.each(['1', '443', '65535'])('accepts %j', (raw) => {
    expect(parsePort(raw, 'P')).toBe(Number(raw));
  });

  it('a URL with port 0 is rejected (WHATWG URL accepts it, and the request would go to :443)', () => {
    expect(() => checkUrlPort(new URL('https://h:0'), 'f')).toThrow(ValidationError);
    expect(() => checkUrlPort(new URL('https://h'), 'f')).not.toThrow();
  });

  it('in credentials.endpoint and credentials.port, for both providers', () => {
    for (const provider of ['nutanix', 'cloudtower'] as const) {
      expect(() =>
        parseCredentials(provider, { endpoint: 'https://pc.example:0', username: 'u', password: 'p' }),
      ).toThrow('credentials.endpoint: expected a URL whose port is 1–65535');
      expect(() =>
        parseCredentials(provider, { host: 'pc.example', port: 0, username: 'u', password: 'p' }),
      ).toThrow('credentials.port: expected an integer 1–65535');
      expect(() =>
        parseCredentials(provider, { host: 'pc.example', port: '65536', username: 'u', password: 'p' }),
      ).toThrow('credentials.port: expected an integer 1–65535');
    }
  });

  it('in a client base URL and in the CMP API URL', async () => {
    expect(() => new HttpClient({ baseUrl: 'http://127.0.0.1:0' })).toThrow(
      'baseUrl: expected a URL whose port is 1–65535',
    );
    process.env.CMP_API_URL = 'http://127.0.0.1:0';
    await expect(cmpApiConfig()).rejects.toThrow('CMP_API_URL: expected a URL whose port is 1–65535');
  });
});
