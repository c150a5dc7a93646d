/**
 * The provider registry: `event.provider` → the factory of the provider that serves it. Handlers only call
 * createProvider; tests swap a factory for an in-process fake with setProviderFactory.
 */
import type { Deadline } from '../http/deadline';
import type { Redactor } from '../http/redact';
import { createCloudTowerProvider } from './cloudtower';
import { createPrismProvider } from './prism';
import type { Provider, ProviderName, ProviderOptions, ResolvedCredentials } from './provider';
import type { Session } from './sessions';

/** Options the handlers pass to every provider. */
export interface ConnectorProviderOptions extends ProviderOptions {
  /** The invocation's deadline (retries never outlive it). */
  deadline?: Deadline;
  /** The invocation's redactor; providers register session tokens on it. */
  redactor?: Redactor;
  /** Epoch ms "now" — the same clock setupTimeInterval uses, so lookback ranges match the window. */
  now?: () => number;
  /**
   * The warm-container session of these credentials (./sessions): login, API detection and whatever else a
   * provider learned about the account, reused by the next invocation of the same container.
   */
  session?: Session;
}

/** Builds a provider from resolved credentials. */
export type ProviderFactory = (
  credentials: ResolvedCredentials,
  options: ConnectorProviderOptions,
) => Provider;

/** Narrows resolved credentials to Prism's shape (the registry guarantees the match). */
function prismCredentials(c: ResolvedCredentials) {
  if (c.provider !== 'nutanix') throw new Error(`credentials for ${c.provider} given to Prism`);
  return c.prism;
}

/** Narrows resolved credentials to CloudTower's shape. */
function cloudtowerCredentials(c: ResolvedCredentials) {
  if (c.provider !== 'cloudtower') throw new Error(`credentials for ${c.provider} given to CloudTower`);
  return c.cloudtower;
}

const builtIn: Record<ProviderName, ProviderFactory> = {
  nutanix: (c, options) => createPrismProvider(prismCredentials(c), options),
  cloudtower: (c, options) => createCloudTowerProvider(cloudtowerCredentials(c), options),
};
const overrides: Partial<Record<ProviderName, ProviderFactory>> = {};

/** Replaces a provider's factory (tests); null restores the real one. */
export function setProviderFactory(name: ProviderName, factory: ProviderFactory | null): void {
  if (factory) overrides[name] = factory;
  else delete overrides[name];
}

/** The provider for `credentials.provider` ('nutanix' → Prism, 'cloudtower' → CloudTower). */
export function createProvider(
  credentials: ResolvedCredentials,
  options: ConnectorProviderOptions = {},
): Provider {
  const factory = overrides[credentials.provider] ?? builtIn[credentials.provider];
  return factory(credentials, options);
}
