/** syncAccount: validate, discover version/clusters/counts, write account metadata, report progress. */
import { Account, type SerializedAccount } from '../lib/connector-utils/account';
import { Metadata } from '../lib/connector-utils/metadata';
import { setTaskPercentage } from '../lib/connector-utils/tasks';
import { ValidationError } from '../lib/errors';
import { connectorHandler, invocationOf } from '../lib/middleware/handler';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import { inventoryCounts } from '../lib/providers/to-nflex';

/**
 * Progress goes 0 → 100 through setTaskPercentage (event `task_id`); the metadata is written with
 * Account.update and returned as written.
 */
export async function syncAccount(_event: unknown, context: ConnectorContext): Promise<SerializedAccount> {
  const { rt, event, provider: providerOf } = invocationOf(context);
  const nflex = rt.nflex;
  if (!nflex) throw new Error('nflexContext middleware did not run');
  const accountId = event.accountId;
  if (!accountId) throw new ValidationError('account_id', 'a non-empty string', { got: 'nothing' });
  const progress = (pct: number) => setTaskPercentage(nflex, event.taskId, pct);
  const provider = providerOf();

  await progress(0);
  const info = await withDeadline(rt, 'validating the account', (signal) => provider.validate(signal));
  await progress(30);
  const inv = await withDeadline(rt, 'counting resources', (signal) => provider.lazyInventory(signal));
  const counts = inventoryCounts(inv);
  await progress(70);
  const metadata = new Metadata()
    .add('provider', info.provider)
    .add('endpoint', info.endpoint)
    .add('api', info.api)
    .add('version', info.version)
    .add('clusters', info.clusters)
    .add('cluster_count', info.clusters.length)
    .add('counts', counts);
  const account = new Account({ id: accountId, metadata });
  await withDeadline(rt, 'writing account metadata', () => account.update(nflex, accountId));
  await progress(100);
  Object.assign(rt.counts, { clusters: info.clusters.length, ...counts });
  return account.serialize();
}

export const handler = connectorHandler('syncAccount', syncAccount);
