/**
 * The SmartX CloudTower provider: inventory, metrics and usage from the CloudTower v2 REST API.
 * Stateless per invocation: one client, one login (or an API key), complete reads or a typed error.
 */
import type { Deadline } from '../../http';
import { usageFromInventory } from '../contract';
import type { AlertQuery, AlertRecord, EntityScope, HealthEntity } from '../monitoring';
import type {
  AccountInfo,
  CloudTowerCredentials,
  Inventory,
  LazyInventory,
  MetricSubject,
  Provider,
  ProviderOptions,
  Sample,
  TimeWindow,
  UsageRecord,
  UsageSubject,
} from '../provider';
import { lazyInventory, materialize } from '../to-nflex';
import { CloudTowerClient, type CloudTowerClientOptions } from './client';
import { EstateIndex, readEstate } from './estate';
import { collectMetrics } from './metrics';
import { readTowerAlerts, readTowerHealth } from './monitoring';
import { readTowerResourceUsage } from './usage';

export { CloudTowerClient } from './client';
export { metricNames } from './metric-names';

/** Options beyond the common ProviderOptions (tests and the benchmark use the extra ones). */
export interface CloudTowerProviderOptions extends ProviderOptions {
  deadline?: Deadline;
  /** List page size (default 500). */
  pageSize?: number;
  /** Most objects per metrics call (default: as many as `metricsMaxSeries` allows). */
  metricsBatch?: number;
  /** Series one metric name of one metrics call may carry (default 5,000, an [unverified] guess; see ./metrics). */
  metricsMaxSeries?: number;
  paging?: CloudTowerClientOptions['paging'];
  retry?: CloudTowerClientOptions['retry'];
  maxPagingAttempts?: number;
  /** Clock for the metrics lookback range (the handlers pass setupTimeInterval's). */
  now?: () => number;
  /** The invocation's redactor (the login token is added to it). */
  redactor?: CloudTowerClientOptions['redactor'];
  /** The warm-container session of these credentials. */
  session?: CloudTowerClientOptions['session'];
}

/** The CloudTower implementation of Provider. */
export class CloudTowerProvider implements Provider {
  readonly kind = 'cloudtower' as const;
  readonly client: CloudTowerClient;

  constructor(
    private readonly credentials: CloudTowerCredentials,
    private readonly options: CloudTowerProviderOptions = {},
  ) {
    const logger = options.logger;
    this.client = new CloudTowerClient(credentials, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.deadline ? { deadline: options.deadline } : {}),
      ...(logger
        ? { logger: { warn: (m: string) => logger.warn(m), info: (m: string) => logger.info(m) } }
        : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.paging ? { paging: options.paging } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.maxPagingAttempts !== undefined ? { maxPagingAttempts: options.maxPagingAttempts } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
      ...(options.session ? { session: options.session } : {}),
    });
  }

  /** Logs in, reads the version, lists clusters and counts VMs (proving the account may read them). */
  async validate(signal: AbortSignal): Promise<AccountInfo> {
    await this.client.ensureLogin(signal);
    const [version, clusters] = await Promise.all([
      this.client.version(signal),
      this.client.listAll<{ id: string; name: string }>('clusters', undefined, signal),
      this.client.count('vms', { in_recycle_bin: false }, signal),
    ]);
    return {
      provider: 'cloudtower',
      endpoint: this.credentials.endpoint,
      api: 'v2',
      version,
      clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
    };
  }

  /** Every registered resource kind — complete or a typed error. */
  async inventory(signal: AbortSignal): Promise<Inventory> {
    return materialize(await this.lazyInventory(signal));
  }

  /** The estate read and joined; records are made from it as each kind is read. */
  async lazyInventory(signal: AbortSignal): Promise<LazyInventory> {
    return lazyInventory('cloudtower', {
      index: new EstateIndex(await readEstate(this.client, signal)),
      endpoint: this.credentials.endpoint,
      warn: (m: string) => this.options.logger?.warn(m),
    });
  }

  /** Raw samples (`<name>@<unit>` keys, see ./metrics) for servers and compute pools. */
  metrics(subjects: MetricSubject[], window: TimeWindow, signal: AbortSignal): Promise<Sample[]> {
    return collectMetrics(
      this.client,
      subjects,
      window,
      {
        ...(this.options.metricsBatch !== undefined ? { batch: this.options.metricsBatch } : {}),
        ...(this.options.metricsMaxSeries !== undefined ? { maxSeries: this.options.metricsMaxSeries } : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
        ...(this.options.session ? { session: this.options.session } : {}),
        warn: (m: string) => this.options.logger?.warn(m),
        ...(this.options.logger?.debug ? { debug: (m: string) => this.options.logger?.debug?.(m) } : {}),
      },
      signal,
    );
  }

  /** Usage the rate card prices: compute per Server, storage per Volume (not per Server, so never twice). */
  async usage(_window: TimeWindow, signal: AbortSignal): Promise<UsageRecord[]> {
    return usageFromInventory(await this.lazyInventory(signal));
  }

  /** One VM's or vm-volume's usage, read by id (see ./usage). */
  resourceUsage(subject: UsageSubject, signal: AbortSignal): Promise<UsageRecord[] | null> {
    return readTowerResourceUsage(this.client, subject, signal);
  }

  /** Alerts of the query's window (`get-alerts`, en-US). */
  alerts(query: AlertQuery, signal: AbortSignal): Promise<AlertRecord[]> {
    return readTowerAlerts(this.client, query, signal);
  }

  /** Clusters, hosts (with disk health) and VMs. */
  health(scope: EntityScope | null, signal: AbortSignal): Promise<HealthEntity[]> {
    return readTowerHealth(this.client, scope, signal);
  }
}

/** Creates the CloudTower provider for resolved credentials. */
export function createCloudTowerProvider(
  credentials: CloudTowerCredentials,
  options?: ProviderOptions & { deadline?: Deadline } & CloudTowerProviderOptions,
): Provider & CloudTowerProvider {
  return new CloudTowerProvider(credentials, options);
}
