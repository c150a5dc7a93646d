/** Events that log in to the loopback simulators with their default accounts. */
import type { ProviderName } from '../../lib/providers/provider';
import { CLOUDTOWER_SIM_PASSWORD, CLOUDTOWER_SIM_USERNAME } from '../simulators/cloudtower';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME } from '../simulators/prism';

/** An event's `credentials` for the simulator of `provider` at `endpoint`. */
export function simCredentials(provider: ProviderName, endpoint: string): Record<string, string> {
  return provider === 'nutanix'
    ? { endpoint, username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD }
    : { endpoint, username: CLOUDTOWER_SIM_USERNAME, password: CLOUDTOWER_SIM_PASSWORD };
}

/** A scheduler event for the simulator at `endpoint`; `overrides` are merged on top. */
export function simEvent(
  provider: ProviderName,
  endpoint: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { provider, credentials: simCredentials(provider, endpoint), ...overrides };
}
