/** The entity of a per-resource getLogs/getStatus event, validated. */

import type { EventResource } from '../config/event';
import { describeValue } from '../config/fields';
import { ValidationError } from '../errors';
import type { EntityScope } from '../providers/monitoring';

/** `server` (a VM or a host), its alias `host`, or `compute_pool` (a cluster); anything else is an error. */
export function entityScope(resource: EventResource | undefined): EntityScope | undefined {
  if (!resource) return undefined;
  const type = resource.type ?? 'server';
  if (type === 'server' || type === 'host') return { kind: 'server', id: resource.nativeId };
  if (type === 'compute_pool') return { kind: 'cluster', id: resource.nativeId };
  throw new ValidationError('resource.type', '"server", "host" or "compute_pool"', {
    got: describeValue(type),
  });
}
