/** Golden runner for serialize.json: every resource kind, value objects and convertDatetime. */
import { expect } from 'vitest';
import {
  Account,
  Appliance,
  Circuit,
  ColoSpace,
  ComputePool,
  type Connections,
  convertDatetime,
  fixedClock,
  ImageDetail,
  IpAddress,
  Locations,
  type Metadata,
  Network,
  Region,
  Resource,
  SaasUser,
  Server,
  ServiceOffering,
  serializeList,
  setClock,
  Volume,
} from '../../../lib/connector-utils/index';
import { caught, decode, expectSameError, kwargs } from './decode';
import type { GoldenCase, GoldenRunner } from './types';

const DEFAULT_NOW = '2018-10-04T12:00:00.123456';

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own options; the vectors supply them
type Ctor = new (options: any) => { serialize(): unknown };

const CLASSES: Record<string, Ctor> = {
  Resource,
  Server,
  Volume,
  Network,
  Appliance,
  ComputePool,
  ServiceOffering,
  SaasUser,
  ColoSpace,
  Circuit,
  Account,
  Region,
  Locations,
  ImageDetail,
  IpAddress,
};

/** Builds the object a `{kind, args}` input describes; the result has serialize(). */
// biome-ignore lint/suspicious/noExplicitAny: golden input
function build(kind: string, args: any): { serialize(): unknown } {
  const cls = CLASSES[kind];
  if (cls) return new cls(kwargs(args));
  // Tagged forms take the same args as their tags.
  if (kind === 'Metadata' || kind === 'Connections' || kind === 'ImageDetailMap.get') {
    return decode({ [`$${kind}`]: args }) as Metadata | Connections | ImageDetail;
  }
  throw new Error(`unknown kind ${kind}`);
}

/** Evaluates one case's input the way the generator did. */
// biome-ignore lint/suspicious/noExplicitAny: golden input
function evaluate(input: any): unknown {
  if (input.kind === 'convert_datetime') return convertDatetime(decode(input.args.dt) as never);
  if (input.kind === 'serialize_list') {
    // biome-ignore lint/suspicious/noExplicitAny: golden input
    return serializeList(input.items.map((it: any) => build(it.kind, it.args)));
  }
  return build(input.kind, input.args).serialize();
}

/** What the port produces for the python-only cases (asserted, so a change in behaviour is noticed). */
const PORT_RESULTS: Record<string, unknown> = {
  'metadata/non_tuple_entries_ignored': { provider_specific: { list: 'ignored', kept: true } },
  'account/metadata_plain_list_entries_ignored': { id: 'a', metadata: { provider_specific: { k: 'v' } } },
};

/** Runs `fn` with the clock frozen at the case's `now`. */
function withFrozenClock<T>(c: GoldenCase, fn: () => T): T {
  setClock(fixedClock(c.input.now ?? DEFAULT_NOW));
  try {
    return fn();
  } finally {
    setClock(null);
  }
}

export const runner: GoldenRunner = {
  async run(c) {
    if (c.error) {
      const err = await caught(() => withFrozenClock(c, () => evaluate(c.input)));
      expectSameError(err, c.error);
      return;
    }
    const actual = withFrozenClock(c, () => evaluate(c.input));
    expect(actual).toEqual(c.expected);
    // Key order is informative in the vectors (Python 3.7 insertion order); we reproduce it anyway.
    expect(JSON.stringify(actual)).toBe(JSON.stringify(c.expected));
  },
  pythonOnly: {
    'metadata/non_tuple_entries_ignored':
      'Python skips list entries and keeps only tuples; TS arrays are our tuples, so the 2-element list ["list","ignored"] is used (other-length and non-array entries are still skipped)',
    'account/metadata_plain_list_entries_ignored':
      'same tuple-vs-list distinction: the 2-element list ["k","v"] is a valid entry in the port',
  },
  checkPythonOnly(c) {
    const actual = withFrozenClock(c, () => evaluate(c.input));
    expect(actual).toEqual(PORT_RESULTS[c.name]);
  },
};
