/** lib/http against a real loopback SimServer: the status → action table, retries, re-auth, deadlines. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  DeadlineExceededError,
  PermissionError,
  TransientError,
  UpstreamError,
} from '../../lib/errors';
import {
  Deadline,
  HttpAuthError,
  HttpClient,
  HttpConnectionError,
  HttpStatusError,
  HttpTransientError,
  mapLimit,
  parseRetryAfter,
} from '../../lib/http';
import { SessionStore, SimServer } from '../simulators/common';

let sim: SimServer;
let baseUrl: string;
const noJitter = () => 0;

beforeEach(async () => {
  sim = new SimServer({ name: 'http-test', seed: 7 });
  sim.route('GET', '/ok', () => ({ status: 200, body: { hello: 'world' } }));
  sim.route('POST', '/echo', (req) => ({ status: 200, body: { got: req.body } }));
  sim.route('GET', /^\/items\/(?<id>\w+)$/, (req) => ({
    status: 200,
    body: { id: req.params.id, q: req.query.get('$page') },
  }));
  sim.route('GET', '/text', () => ({ status: 200, text: 'plain' }));
  sim.route('GET', '/broken-json', () => ({
    status: 200,
    text: '{"a":',
    headers: { 'content-type': 'application/json' },
  }));
  baseUrl = await sim.start();
});

afterEach(async () => {
  await sim.stop();
});

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  return new HttpClient({ baseUrl, random: noJitter, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
}

describe('HttpClient success paths', () => {
  it('parses JSON, passes query with literal $ and route params', async () => {
    const http = client();
    const res = await http.get<{ id: string; q: string }>('/items/abc', {
      query: { $page: 3, skip: undefined },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'abc', q: '3' });
    expect(http.stats).toMatchObject({ requests: 1, attempts: 1, retries: 0 });
    http.close();
  });

  it('sends JSON bodies and returns text bodies as text', async () => {
    const http = client();
    expect((await http.post('/echo', { a: 1 })).body).toEqual({ got: { a: 1 } });
    expect((await http.get('/text')).body).toBe('plain');
    http.close();
  });

  it('reports malformed JSON as an upstream error naming the operation', async () => {
    const http = client();
    await expect(http.get('/broken-json', { operation: 'list things' })).rejects.toThrow(
      /list things.*malformed body/,
    );
    http.close();
  });
});

describe('HttpClient body decoding', () => {
  const doc = {
    name: 'vm-東京-Ωμέγα-Łódź',
    'ключ-é': ['naïve', { deep: '😀 emoji', plain: 'ascii' }],
    escaped: 'caf\u00e9 stays é',
    n: 1,
  };

  it.each([
    ['raw UTF-8 in values and keys', JSON.stringify(doc).replace('\\u00e9', 'x')],
    ['\\u escapes next to raw UTF-8', JSON.stringify(doc)],
    ['only \\u escapes', JSON.stringify({ s: 'caf\u00e9', k: '\u6771' }).replace('é', '\\u00e9')],
  ])('parses %s exactly as JSON.parse of the UTF-8 text', async (_label, text) => {
    sim.route('GET', '/doc', () => ({ status: 200, text, headers: { 'content-type': 'application/json' } }));
    const http = client();
    expect((await http.get('/doc')).body).toEqual(JSON.parse(text));
    http.close();
  });

  it('keeps multi-byte characters split across socket chunks intact (large body)', async () => {
    const items = Array.from({ length: 6000 }, (_, i) => ({ id: i, name: `ВМ-${i}-東京-😀` }));
    const text = JSON.stringify({ items });
    sim.route('GET', '/big', () => ({ status: 200, text, headers: { 'content-type': 'application/json' } }));
    const http = client();
    const body = (await http.get<{ items: typeof items }>('/big')).body;
    expect(Buffer.byteLength(text)).toBeGreaterThan(200_000);
    expect(body).toEqual({ items });
    http.close();
  });

  it('returns non-JSON bodies and error snippets as UTF-8 text', async () => {
    sim.route('GET', '/utf8-text', () => ({ status: 200, text: 'grüße 東京' }));
    sim.setFaults({
      rules: [
        { when: (r) => r.path === '/bad', respond: { status: 400, body: { message: 'ungültig 東京' } } },
      ],
    });
    const http = client();
    expect((await http.get('/utf8-text')).body).toBe('grüße 東京');
    await expect(http.get('/bad')).rejects.toThrow('ungültig 東京');
    http.close();
  });
});

describe('HttpClient retry table', () => {
  it.each(['429', '503', '500', 'reset'] as const)(
    'retries a transient %s and then succeeds',
    async (kind) => {
      const respond = kind === 'reset' ? 'reset' : { status: Number(kind), body: { message: 'busy' } };
      sim.setFaults({ rules: [{ when: (r) => r.path === '/ok', respond, times: 2 }] });
      const http = client();
      const res = await http.get('/ok');
      expect(res.body).toEqual({ hello: 'world' });
      expect(http.stats).toMatchObject({ requests: 1, attempts: 3, retries: 2 });
      http.close();
    },
  );

  it('honours Retry-After over a shorter backoff', async () => {
    sim.setFaults({
      rules: [
        {
          when: (r) => r.path === '/ok',
          respond: { status: 429, headers: { 'retry-after': '1' } },
          times: 1,
        },
      ],
    });
    const http = client();
    const started = Date.now();
    await http.get('/ok');
    // Backoff alone would be ≤ 5 ms; the server asked for a full second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    http.close();
  });

  it('gives up after maxAttempts with a typed transient error', async () => {
    sim.setFaults({ rules: [{ when: (r) => r.path === '/ok', respond: { status: 503 } }] });
    const http = client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = await http.get('/ok', { operation: 'probe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransientError);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as HttpTransientError).attempts).toBe(3);
    expect((err as Error).message).toMatch(/probe .*failed after 3 attempt\(s\): HTTP 503/);
    expect(sim.stats.requests).toBe(3);
    http.close();
  });

  it('fails fast on 400 and 404 without retrying', async () => {
    sim.setFaults({
      rules: [{ when: (r) => r.path === '/ok', respond: { status: 400, body: { message: 'bad where' } } }],
    });
    const http = client();
    const err = await http.get('/ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as HttpStatusError).status).toBe(400);
    expect((err as Error).message).toContain('bad where');
    const missing = await http.get('/nope').catch((e: unknown) => e);
    expect((missing as HttpStatusError).status).toBe(404);
    expect(sim.stats.requests).toBe(2);
    // The 404 is what this test asks for.
    expect(sim.takeUnexpected()).toEqual(['GET /nope']);
    http.close();
  });

  it('maps 403 to a permission error', async () => {
    sim.setFaults({
      rules: [{ when: () => true, respond: { status: 403, body: { message: 'role lacks VM view' } } }],
    });
    const err = await client()
      .get('/ok')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as Error).message).toContain('role lacks VM view');
  });

  it('retries a request that hangs past the per-attempt timeout', async () => {
    sim.setFaults({ rules: [{ when: (r) => r.path === '/ok', respond: 'hang', times: 1 }] });
    const http = client({ timeoutMs: 200 });
    expect((await http.get('/ok')).body).toEqual({ hello: 'world' });
    expect(http.stats.retries).toBe(1);
    http.close();
  });
});

describe('HttpClient authentication', () => {
  function sessionAuth(sessions: SessionStore, logins: { n: number }) {
    let token = '';
    return {
      headers: () => ({ authorization: token }),
      refresh: async () => {
        logins.n++;
        token = sessions.issue();
      },
    };
  }

  it('re-authenticates once on 401, and concurrent requests share one refresh', async () => {
    const sessions = new SessionStore();
    sim.use((req) =>
      sessions.valid(req.headers.authorization) ? undefined : { status: 401, text: '<html>login</html>' },
    );
    const logins = { n: 0 };
    const http = client({ auth: sessionAuth(sessions, logins) });
    const results = await Promise.all([1, 2, 3, 4].map(() => http.get('/ok')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(logins.n).toBe(1);
    sessions.expireAll();
    await http.get('/ok');
    expect(logins.n).toBe(2);
    http.close();
  });

  it('fails with an authentication error when the refreshed session is rejected too', async () => {
    sim.use(() => ({ status: 401, text: 'Unauthorized' }));
    const logins = { n: 0 };
    const http = client({ auth: sessionAuth(new SessionStore(), logins) });
    const err = await http.get('/ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpAuthError);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(logins.n).toBe(1);
    http.close();
  });

  it('never repeats a secret in an error, even when the upstream echoes it', async () => {
    const password = 'S3cret-Passw0rd!';
    sim.setFaults({
      rules: [{ when: () => true, respond: { status: 400, body: { message: `bad password ${password}` } } }],
    });
    const err = await client({ secrets: [password] })
      .get('/ok')
      .catch((e: unknown) => e);
    expect((err as Error).message).not.toContain(password);
    expect((err as Error).message).toContain('***');
  });
});

describe('HttpClient deadlines and reachability', () => {
  it('does not sleep into the deadline: a long Retry-After fails at once with a transient error', async () => {
    sim.setFaults({
      rules: [{ when: () => true, respond: { status: 503, headers: { 'retry-after': '30' } } }],
    });
    const http = client({ deadline: Deadline.after(2_000) });
    const err = await http.get('/ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransientError);
    expect((err as Error).message).toMatch(/deadline/);
    // One attempt only: the client refused to wait 30 s with 2 s left.
    expect(sim.stats.requests).toBe(1);
    http.close();
  });

  it('stops a hanging request at the deadline with DeadlineExceededError', async () => {
    sim.setFaults({ rules: [{ when: () => true, respond: 'hang' }] });
    const http = client({ deadline: Deadline.after(300), timeoutMs: 10_000 });
    const err = await http.get('/ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    http.close();
  });

  it('names the host and the cause when nothing listens there', async () => {
    const port = new URL(baseUrl).port;
    await sim.stop();
    const err = await client()
      .get('/ok')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new HttpClient({ baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => new HttpClient({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
  });
});

describe('mapLimit', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 6], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 60]);
    expect(peak).toBe(2);
  });

  it('aborts the rest and rejects with the first error, never a partial result', async () => {
    const started: number[] = [];
    const err = await mapLimit([0, 1, 2, 3, 4, 5], 2, async (n, _i, signal) => {
      started.push(n);
      if (n === 1) throw new Error('page 1 failed');
      await new Promise((r) => setTimeout(r, 20));
      expect(signal.aborted).toBe(true);
      return n;
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('page 1 failed');
    expect(started.length).toBeLessThan(6);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
  });
});
