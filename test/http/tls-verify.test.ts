/**
 * A certificate the client cannot verify fails on the first attempt as a connection error naming the cause
 * (an operator must act: ca_cert, verify_ssl, the host name), never as a transient error after retries —
 * including a leaf signed by a private CA, whose code names no certificate.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpConnectionError } from '../../lib/http';
import { actionForErrorCode } from '../../lib/http/policy';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url)), 'utf8');

let server: https.Server;
let port = 0;

beforeAll(async () => {
  // Serves only the leaf: a client without the private CA cannot build a chain.
  server = https.createServer(
    { key: fixture('private-leaf.key.pem'), cert: fixture('private-leaf.cert.pem') },
    (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('certificate verification failures', () => {
  it('a leaf from a private CA fails on the first attempt, naming the cause', async () => {
    const client = new HttpClient({ baseUrl: `https://127.0.0.1:${port}`, retry: { baseDelayMs: 1 } });
    const err = await client.get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as HttpConnectionError).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((err as Error).message).toContain('unable to verify the first certificate');
    expect(client.stats.attempts).toBe(1);
    client.close();
  });

  it('the private CA in caCert makes the same server work', async () => {
    const client = new HttpClient({
      baseUrl: `https://127.0.0.1:${port}`,
      caCert: fixture('private-ca.cert.pem'),
    });
    expect((await client.get('/x')).body).toEqual({ ok: true });
    client.close();
  });

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'INVALID_CA',
    'HOSTNAME_MISMATCH',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('%s is not retried', (code) => {
    expect(actionForErrorCode(code)).toBe('unreachable');
  });

  it('a reset is still retried', () => {
    expect(actionForErrorCode('ECONNRESET')).toBe('retry');
  });
});
