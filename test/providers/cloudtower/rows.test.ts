/** Row projections (lib/providers/cloudtower/rows): repeated references and enum strings are shared, never merged. */
import { describe, expect, it } from 'vitest';
import { rowPickers } from '../../../lib/providers/cloudtower/rows';
import type { CtVm, CtVmDisk } from '../../../lib/providers/cloudtower/types';

/** A fresh parse of `json`, as each row of a page is: equal values, distinct objects and strings. */
const parsed = <T>(json: string): T => JSON.parse(json) as T;

function vmRow(id: string, host: Record<string, unknown>): CtVm {
  return parsed<CtVm>(
    JSON.stringify({
      id,
      local_id: `local-${id}`,
      name: id,
      status: 'RUNNING',
      vcpu: 2,
      memory: 1,
      cluster: { id: 'c1', name: 'cluster one' },
      host,
      os: 'Microsoft Windows Server 2022 Standard',
      in_recycle_bin: false,
      unread: 'dropped',
    }),
  );
}

describe('rowPickers', () => {
  it('keeps only the declared fields, with the values as sent', () => {
    // Act
    const vm = rowPickers().vm(vmRow('vm1', { id: 'h1', name: 'node 1', management_ip: '10.0.0.1' }));
    // Assess
    expect(vm).toMatchObject({ id: 'vm1', status: 'RUNNING', host: { id: 'h1', management_ip: '10.0.0.1' } });
    expect(vm).not.toHaveProperty('unread');
  });

  it('shares a reference between rows only when every field of it is equal', () => {
    // Prepare
    const pick = rowPickers();
    // Act
    const a = pick.vm(vmRow('vm1', { id: 'h1', name: 'node 1', management_ip: '10.0.0.1' }));
    const b = pick.vm(vmRow('vm2', { id: 'h1', name: 'node 1', management_ip: '10.0.0.1' }));
    const moved = pick.vm(vmRow('vm3', { id: 'h1', name: 'node 1', management_ip: '10.0.0.9' }));
    // Assess
    expect(b.host).toBe(a.host);
    expect(b.cluster).toBe(a.cluster);
    expect(moved.host).not.toBe(a.host);
    expect(moved.host).toEqual({ id: 'h1', name: 'node 1', management_ip: '10.0.0.9' });
    expect(a.host).toEqual({ id: 'h1', name: 'node 1', management_ip: '10.0.0.1' });
  });

  it('shares references per field: a disk VM reference is not a host reference with the same id', () => {
    // Prepare
    const pick = rowPickers();
    const host = pick.vm(vmRow('vm1', { id: 'x1', name: 'x' })).host;
    // Act
    const disk = pick.vmDisk(parsed<CtVmDisk>('{"id":"d1","vm":{"id":"x1","name":"x"},"type":"DISK"}'));
    const again = pick.vmDisk(parsed<CtVmDisk>('{"id":"d2","vm":{"id":"x1","name":"x"},"type":"DISK"}'));
    // Assess
    expect(disk.vm).not.toBe(host);
    expect(again.vm).toBe(disk.vm);
  });

  it('separate estate reads share nothing', () => {
    // Act
    const a = rowPickers().vm(vmRow('vm1', { id: 'h1', name: 'node 1' }));
    const b = rowPickers().vm(vmRow('vm1', { id: 'h1', name: 'node 1' }));
    // Assess
    expect(b.host).not.toBe(a.host);
    expect(b.host).toEqual(a.host);
  });
});
