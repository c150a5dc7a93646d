/** The strict-simulator hook (test/helpers/strict-simulators.ts) sees requests no route matched. */
import { expect, it } from 'vitest';
import { SimServer } from './server';

it('records a request no route matches, for the hook to fail the test, until the test takes it', async () => {
  const sim = new SimServer({ name: 'probe' });
  sim.route('GET', '/known', () => ({ status: 200, body: {} }));
  const base = await sim.start();
  try {
    await fetch(`${base}/known`);
    await fetch(`${base}/no/such/path`);
    // Taken here on purpose: left untaken, the afterEach hook would fail this test.
    expect(sim.takeUnexpected()).toEqual(['GET /no/such/path']);
    expect(sim.takeUnexpected()).toEqual([]);
  } finally {
    await sim.stop();
  }
});
