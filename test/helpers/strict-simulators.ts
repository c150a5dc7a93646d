/**
 * Every test fails when an in-process simulator answered a request it has no route for: a provider that asks
 * for something the real API does not serve is a bug even when the test's own assertions pass. A test that
 * probes unknown paths on purpose takes them with the simulator's `takeUnexpected()` before it ends.
 */
import { afterEach, expect } from 'vitest';
import { takeAllUnexpected } from '../simulators/common/server';

afterEach(() => {
  expect(takeAllUnexpected(), 'requests the simulators have no route for').toEqual([]);
});
