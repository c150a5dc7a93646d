/**
 * Rules of docs/architecture.md "Fixed interface contract" that every provider applies the same way, kept
 * in one place so Prism and CloudTower cannot drift apart.
 */
import { ConnectorError } from '../errors';
import type { LazyInventory, ServerRecord, UsageRecord, VolumeRecord } from './provider';

/**
 * True for IPv6 link-local addresses (fe80::/10), which are never reported: the first hextet, read as a
 * 16-bit number, has its top ten bits equal to 1111111010. Anything that is not IPv6 is false.
 */
export function isLinkLocalV6(ip: string): boolean {
  // Most addresses are IPv4: rule them out by the first character before parsing.
  const c = ip.charCodeAt(0) | 0x20;
  if (c !== 0x66) return false; // 'f'
  const colon = ip.indexOf(':');
  if (colon < 1 || colon > 4) return false;
  const first = Number.parseInt(ip.slice(0, colon), 16);
  return colon === 4 && (first & 0xffc0) === 0xfe80;
}

/** A Server's usage: compute, charged while it runs; its storage is priced on its Volumes. */
export function serverUsage(
  s: Pick<ServerRecord, 'id' | 'clusterId' | 'state' | 'cpuCores' | 'ramB'>,
): UsageRecord {
  return {
    resourceId: s.id,
    resourceType: 'server',
    clusterId: s.clusterId,
    running: s.state === 'running',
    vcpu: s.cpuCores,
    ramB: s.ramB,
    storageB: 0,
  };
}

/** A Volume's usage: storage, charged always. */
export function volumeUsage(v: Pick<VolumeRecord, 'id' | 'clusterId' | 'sizeB'>): UsageRecord {
  return {
    resourceId: v.id,
    resourceType: 'volume',
    clusterId: v.clusterId,
    running: false,
    vcpu: 0,
    ramB: 0,
    storageB: v.sizeB,
  };
}

/**
 * What the rate card prices, derived from a complete inventory: compute per Server (charged while running),
 * storage per Volume — never again on the Server, so a disk is priced once. Only those two kinds are made,
 * each record dropped once priced.
 */
export function usageFromInventory(inv: Pick<LazyInventory, 'servers' | 'volumes'>): UsageRecord[] {
  const usage: UsageRecord[] = [];
  for (const server of inv.servers()) usage.push(serverUsage(server));
  for (const volume of inv.volumes()) usage.push(volumeUsage(volume));
  return usage;
}

/**
 * The warning for a resource a poll names that the upstream no longer has: the poll answers an empty result
 * for it, the same way on every provider, so the CMP can retire the resource at its next inventory.
 */
export function goneWarning(
  kind: 'server' | 'compute_pool' | 'host' | 'volume',
  id: string,
  nothing: 'metrics' | 'spend' = 'metrics',
): string {
  return `${kind} ${id} no longer exists upstream: no ${nothing} for it`;
}

/** Statuses that say an upstream does not offer a feature to this account (absent, forbidden, unimplemented). */
const FEATURE_ABSENT = new Set([403, 404, 501]);

/**
 * Reads something that only enriches a result (capacity via v3 `groups`, category names). When the upstream
 * answers 403, 404 or 501 for it, one warning names the feature and the result is null — the caller leaves
 * those fields null and its lists stay complete. Any other failure is still an error.
 */
export async function optionalEnrichment<T>(
  feature: string,
  read: () => Promise<T>,
  warn: (message: string) => void,
): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (!(err instanceof ConnectorError) || typeof status !== 'number' || !FEATURE_ABSENT.has(status))
      throw err;
    warn(`${feature} is not available from the upstream (HTTP ${status}): the fields it fills are null`);
    return null;
  }
}
