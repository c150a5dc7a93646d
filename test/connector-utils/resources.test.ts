import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  Account,
  Connections,
  convertDatetime,
  fixedClock,
  InvalidCredentials,
  Locations,
  Logger,
  Metadata,
  type NflexContext,
  Region,
  Server,
  SpendError,
  setClock,
  setTaskPercentage,
  Volume,
  withCassette,
} from '../../lib/connector-utils/index';

beforeEach(() => setClock(fixedClock('2018-10-04T12:00:00.123456')));
afterEach(() => setClock(null));

describe('convertDatetime', () => {
  it('accepts the date forms connectors meet', () => {
    expect(convertDatetime(new Date('2017-01-01T12:00:00.5Z'))).toBe('2017-01-01T12:00:00.500000Z');
    expect(convertDatetime(DateTime.fromISO('2017-01-01T13:00:00+01:00', { setZone: true }))).toBe(
      '2017-01-01T12:00:00Z',
    );
    expect(convertDatetime('Thu, 5 Jan 2017 15:04:05 +0100')).toBe('2017-01-05T14:04:05Z');
    expect(convertDatetime('January 5th, 2017 at 12:30am')).toBe('2017-01-05T00:30:00Z');
    expect(convertDatetime('1/5/2017 3:00 PM')).toBe('2017-01-05T15:00:00Z');
    expect(convertDatetime('2017-01-01T12:00:00.1234567Z')).toBe('2017-01-01T12:00:00.123456Z');
    expect(convertDatetime('')).toBeNull();
    expect(convertDatetime(undefined)).toBeNull();
  });

  it('fills a missing date from today, as dateutil does', () => {
    expect(convertDatetime('3pm')).toBe('2018-10-04T15:00:00Z');
  });

  it('raises ParserError for text it cannot read, and AttributeError for other types', () => {
    expect(() => convertDatetime('soon')).toThrow(expect.objectContaining({ name: 'ParserError' }));
    expect(() => convertDatetime('   ')).toThrow(expect.objectContaining({ name: 'ParserError' }));
    expect(() => convertDatetime(12 as never)).toThrow(expect.objectContaining({ name: 'AttributeError' }));
  });
});

describe('Metadata', () => {
  it('chains add() and honours namespaces, overwrite and first-use order', () => {
    const md = new Metadata({
      values: [
        ['a', 1],
        ['ns', 'b', 2],
        [null, 'c', 3],
        ['too', 'many', 'parts', 4],
      ],
    });
    expect(md.add('a', 9).add('d', 4, 'other')).toBe(md);
    expect(md.serialize()).toEqual({ provider_specific: { a: 9, c: 3 }, ns: { b: 2 }, other: { d: 4 } });
    expect(Object.keys(md.serialize())).toEqual(['provider_specific', 'ns', 'other']);
  });

  it('keeps a __proto__ key as plain data', () => {
    const out = new Metadata().add('__proto__', 'x').serialize();
    expect(Object.getPrototypeOf(out.provider_specific)).toBe(Object.prototype);
    expect(Object.keys(out.provider_specific ?? {})).toEqual(['__proto__']);
  });
});

describe('Connections', () => {
  it('iterates a string per character and keeps duplicates across adds', () => {
    const c = new Connections({ type: 'server', connections: 'ab' }).add({ servers: ['a'] });
    expect(c.serialize()).toEqual({ server: [{ id: 'a' }, { id: 'b' }, { id: 'a' }] });
  });
});

describe('Locations', () => {
  it('validates entry by entry, part by part', () => {
    expect(() => new Locations({})).toThrow('locations must be a list of location hashes');
    expect(() => new Locations({ locations: [{ city: { name: 'Paris' } }, { country: {} }] })).toThrow(
      'one of id or name must be specified',
    );
    expect(() => new Locations({ locations: [{ city: { id: 'x', name: 3 as never } }] })).toThrow(
      'name must be a string',
    );
  });

  it('serializes the very list it was given', () => {
    const list = [{ country: { id: 'FR' }, type: 'provider' }];
    expect(new Locations({ locations: list }).serialize()).toBe(list);
  });
});

describe('Resource kinds', () => {
  it('treats undefined options as not passed but rejects unknown keys', () => {
    const s = new Server({ id: 's', name: 'n', state: undefined, type: undefined } as never);
    expect(s.serialize().details?.server?.state).toBe('unknown');
    expect(() => new Server({ id: 's', name: 'n', colour: 'red' } as never)).toThrow(TypeError);
    expect(() => new Server({ id: 's', name: 'n', type: 'vm' } as never)).toThrow(/multiple values/);
  });

  it('converts Volume iops at serialize time, not construction', () => {
    const v = new Volume({ id: 'v', name: 'n', iops: 'fast' });
    expect(() => v.serialize()).toThrow("invalid literal for int() with base 10: 'fast'");
    expect(new Volume({ id: 'v', name: 'n', iops: ' -7 ' }).serialize().details?.volume?.iops).toBe(-7);
  });

  it('uses locations over region only when the list is non-empty', () => {
    const region = new Region({ id: 'r' });
    const withLoc = new Server({
      id: 's',
      name: 'n',
      region,
      locations: new Locations({ locations: [{ city: { id: 'c' } }] }),
    }).serialize();
    expect(withLoc.base.locations).toEqual([{ city: { id: 'c' } }]);
    expect(withLoc.base).not.toHaveProperty('regions');
  });
});

/** A context that records calls and answers with `status`. */
function recordingContext(status = 200, moduleId: string | null = 'mod') {
  const calls: unknown[][] = [];
  const logs: unknown[][] = [];
  const respond = async (...args: unknown[]) => {
    calls.push(args);
    return { status_code: status, content: 'nope', json: () => ({}) };
  };
  const context = {
    api: { get: respond, post: respond, put: respond, patch: respond, delete: respond },
    log: (message: string, severity?: string) => {
      logs.push([message, severity]);
    },
    module_id: moduleId,
    secrets: {},
    config: {},
    state: {} as NflexContext['state'],
  } satisfies NflexContext;
  return { context, calls, logs };
}

describe('platform helpers', () => {
  it('setTaskPercentage is a no-op without a task id and rejects on non-200', async () => {
    const { context, calls } = recordingContext(500);
    await setTaskPercentage(context, null, 10);
    expect(calls).toEqual([]);
    await expect(setTaskPercentage(context, 't', 10)).rejects.toThrow(
      "Got bad response from tasks API: 500, b'nope'",
    );
  });

  it('Account.update patches the serialized account', async () => {
    const { context, calls } = recordingContext();
    await new Account({ id: 'a', metadata: new Metadata().add('k', 'v') }).update(context, 'acc');
    expect(calls).toEqual([
      ['/accounts/acc/resource', { id: 'a', metadata: { provider_specific: { k: 'v' } } }],
    ]);
  });

  it('Logger never throws when an async context.log fails', async () => {
    const { context } = recordingContext();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = new Logger({
      context: { ...context, log: async () => Promise.reject(new Error('down')) },
      customerId: 'c',
      accountId: 'a',
    });
    expect(() => logger.info('x')).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(stderr).toHaveBeenCalledWith('failed to send log line: down\n');
    stderr.mockRestore();
  });

  it('errors carry their nflex kind as name and keep a cause', () => {
    const cause = new Error('401');
    const err = new InvalidCredentials(undefined, { cause });
    expect([err.name, err.message, err.cause]).toEqual(['InvalidCredentials', 'Invalid Credentials', cause]);
    expect(new SpendError().args).toEqual([]);
  });

  it('withCassette is the identity', () => {
    const fn = () => 1;
    expect(withCassette(fn)).toBe(fn);
  });
});

describe('convertDatetime glued forms', () => {
  it('reads T-joined, Z-suffixed and space-offset forms the ISO path rejects', () => {
    expect(convertDatetime('2017-01-01T12:00:00 +01:00')).toBe('2017-01-01T11:00:00Z');
    expect(convertDatetime('Jan 5 2017 12:00:00Z')).toBe('2017-01-05T12:00:00Z');
  });
});
