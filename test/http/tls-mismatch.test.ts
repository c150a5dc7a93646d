/**
 * TLS on one end and plain HTTP on the other fails at once, with a plain message: no retries, no OpenSSL
 * internals (library error codes, function names, source paths).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpConnectionError } from '../../lib/http';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url)));

let tlsServer: https.Server;
let plainServer: http.Server;
let tlsPort = 0;
let plainPort = 0;
let served = 0;

beforeAll(async () => {
  const answer = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    served++;
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
  tlsServer = https.createServer(
    { key: fixture('localhost.key.pem'), cert: fixture('localhost.cert.pem') },
    answer,
  );
  plainServer = http.createServer(answer);
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', r));
  tlsPort = (tlsServer.address() as AddressInfo).port;
  plainPort = (plainServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => tlsServer.close(r));
  await new Promise((r) => plainServer.close(r));
});

const OPENSSL_INTERNALS = /SSL routines|ssl3_|0A00|openssl|\.c:\d+/i;

async function failure(client: HttpClient): Promise<HttpConnectionError> {
  const err = await client.get('/api/x').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpConnectionError);
  return err as HttpConnectionError;
}

describe('TLS versus plain HTTP', () => {
  it('an https:// endpoint on a plain-HTTP port fails on the first attempt, in plain words', async () => {
    const client = new HttpClient({
      baseUrl: `https://127.0.0.1:${plainPort}`,
      verifySsl: false,
      retry: { baseDelayMs: 1 },
    });
    const err = await failure(client);
    expect(client.stats.attempts).toBe(1);
    expect(err.message).toContain('plain HTTP, not TLS');
    expect(err.message).toContain(`127.0.0.1:${plainPort}`);
    expect(err.message).not.toMatch(OPENSSL_INTERNALS);
    client.close();
  });

  it('an http:// endpoint on a TLS port fails on the first attempt, in plain words', async () => {
    const before = served;
    const client = new HttpClient({ baseUrl: `http://127.0.0.1:${tlsPort}`, retry: { baseDelayMs: 1 } });
    const err = await failure(client);
    expect(client.stats.attempts).toBe(1);
    expect(client.stats.retries).toBe(0);
    expect(err.message).toContain('use an https:// endpoint');
    expect(err.message).not.toMatch(OPENSSL_INTERNALS);
    expect(served).toBe(before);
    client.close();
  });

  it('the right scheme on each port still works', async () => {
    const secure = new HttpClient({
      baseUrl: `https://127.0.0.1:${tlsPort}`,
      caCert: fixture('localhost.cert.pem').toString(),
    });
    const plain = new HttpClient({ baseUrl: `http://127.0.0.1:${plainPort}` });
    expect((await secure.get('/x')).body).toEqual({ ok: true });
    expect((await plain.get('/x')).body).toEqual({ ok: true });
    secure.close();
    plain.close();
  });
});
