/** The simulated CMP API records exactly what the handlers send and enforces its key. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CmpSimulator, startCmpSimulator } from './index';

describe('CMP API simulator', () => {
  let cmp: CmpSimulator;
  const send = (method: string, path: string, body: unknown, key: string | null = cmp.apiKey) =>
    fetch(`${cmp.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    cmp = await startCmpSimulator();
  });
  afterAll(() => cmp.stop());
  beforeEach(() => {
    cmp.reset();
    cmp.setStatus(200);
  });

  it('records task progress per task in arrival order', async () => {
    // Act
    for (const pct of [0, 40, 100])
      expect((await send('POST', '/tasks/t-1/update', { percentage: pct })).status).toBe(200);
    await send('POST', '/tasks/t-2/update', { percentage: 5 });

    // Assess
    expect(cmp.progressOf('t-1')).toEqual([0, 40, 100]);
    expect(cmp.progressOf('t-2')).toEqual([5]);
  });

  it('records log entries and account updates', async () => {
    await send('POST', '/logs', [{ message: 'hello', severity: 'INFO' }]);
    await send('PATCH', '/accounts/acc-9/resource', { metadata: { x: 1 } });

    expect(cmp.logs.map((l) => l.message)).toEqual(['hello']);
    expect(cmp.accountBodiesOf('acc-9')).toEqual([{ metadata: { x: 1 } }]);
  });

  it('rejects a wrong key and malformed bodies without recording them', async () => {
    expect((await send('POST', '/tasks/t-1/update', { percentage: 1 }, 'wrong')).status).toBe(401);
    expect((await send('POST', '/tasks/t-1/update', { percentage: 'x' })).status).toBe(400);
    expect((await send('POST', '/logs', [{ nope: true }])).status).toBe(400);

    expect(cmp.taskUpdates).toEqual([]);
    expect(cmp.logs).toEqual([]);
    expect(cmp.rawCalls.map((c) => c.authorized)).toEqual([false, true, true]);
  });

  it('answers the configured failure status', async () => {
    cmp.setStatus(500);
    expect((await send('POST', '/tasks/t-1/update', { percentage: 1 })).status).toBe(500);
    expect(cmp.taskUpdates).toEqual([]);
  });
});
