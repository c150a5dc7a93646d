/** The shared contract rules both providers apply. */
import { describe, expect, it } from 'vitest';
import { isLinkLocalV6, usageFromInventory } from '../../lib/providers/contract';

describe('isLinkLocalV6', () => {
  it.each(['fe80::1', 'FE80::abcd', 'fe9f::1', 'feab:0:0::1', 'febf:ffff::1', 'fe80::1%eth0'])(
    '%s is link-local',
    (ip) => {
      expect(isLinkLocalV6(ip)).toBe(true);
    },
  );
  it.each(['fec0::1', 'fe8::1', 'fe80', 'ff02::1', '2001:db8::1', '10.0.0.1', 'f::1', '', 'fe7f::1'])(
    '%s is not link-local',
    (ip) => {
      expect(isLinkLocalV6(ip)).toBe(false);
    },
  );
});

describe('usageFromInventory', () => {
  it('prices compute on servers (running or not) and storage on volumes only', () => {
    const usage = usageFromInventory({
      servers: () =>
        [
          { id: 'vm-1', clusterId: 'c1', state: 'running', cpuCores: 4, ramB: 8 * 2 ** 30 },
          { id: 'vm-2', clusterId: null, state: 'stopped', cpuCores: 2, ramB: 2 ** 30 },
        ] as never,
      volumes: () => [{ id: 'vol-1', clusterId: 'c1', sizeB: 100 * 2 ** 30 }] as never,
    });
    expect(usage).toEqual([
      {
        resourceId: 'vm-1',
        resourceType: 'server',
        clusterId: 'c1',
        running: true,
        vcpu: 4,
        ramB: 8 * 2 ** 30,
        storageB: 0,
      },
      {
        resourceId: 'vm-2',
        resourceType: 'server',
        clusterId: null,
        running: false,
        vcpu: 2,
        ramB: 2 ** 30,
        storageB: 0,
      },
      {
        resourceId: 'vol-1',
        resourceType: 'volume',
        clusterId: 'c1',
        running: false,
        vcpu: 0,
        ramB: 0,
        storageB: 100 * 2 ** 30,
      },
    ]);
  });
});
