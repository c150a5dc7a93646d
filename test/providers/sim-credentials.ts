/** Provider credentials (as lib/config resolves them) for the simulators' default accounts. */
import type { CloudTowerCredentials, PrismCredentials } from '../../lib/providers/provider';
import { CLOUDTOWER_SIM_PASSWORD, CLOUDTOWER_SIM_USERNAME } from '../simulators/cloudtower/index';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME } from '../simulators/prism';

export function prismSimCredentials(
  endpoint: string,
  extra: Partial<PrismCredentials> = {},
): PrismCredentials {
  return {
    endpoint,
    verifySsl: false,
    username: PRISM_SIM_USERNAME,
    password: PRISM_SIM_PASSWORD,
    api: 'auto',
    ...extra,
  };
}

export function towerSimCredentials(
  endpoint: string,
  extra: Partial<CloudTowerCredentials> = {},
): CloudTowerCredentials {
  return {
    endpoint,
    verifySsl: true,
    username: CLOUDTOWER_SIM_USERNAME,
    password: CLOUDTOWER_SIM_PASSWORD,
    source: 'LOCAL',
    ...extra,
  };
}
