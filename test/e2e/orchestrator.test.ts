/** The pieces of the `npm start` orchestrator that decide things: error kinds, targets from env, summaries. */
import { describe, expect, it } from 'vitest';
import { errorKindOf } from '../../scripts/lib/offline';
import { formatCounts, formatLastUpdate, metadataFields } from '../../scripts/lib/poll-cycle';
import {
  endpointOfCredentials,
  providersFromEnv,
  targetSourceFromEnv,
  usesSimulatedCmpApi,
} from '../../scripts/lib/targets';

describe('errorKindOf', () => {
  it('takes AWS errorType when it names the error', () => {
    expect(errorKindOf({ errorType: 'InvalidCredentials', errorMessage: 'x' })).toBe('InvalidCredentials');
  });

  it('reads the kind from the first trace line when offline says "Error"', () => {
    const doc = { errorType: 'Error', errorMessage: 'bad', trace: ['SpendError: bad', '    at getSpend'] };
    expect(errorKindOf(doc)).toBe('SpendError');
  });

  it('falls back to errorType, and to null for a non-error', () => {
    expect(errorKindOf({ errorType: 'Error', trace: [] })).toBe('Error');
    expect(errorKindOf([1, 2])).toBeNull();
    expect(errorKindOf(null)).toBeNull();
  });
});

describe('targetSourceFromEnv', () => {
  it('uses the simulator when nothing is configured', () => {
    expect(targetSourceFromEnv('nutanix', {})).toEqual({ kind: 'simulator', provider: 'nutanix' });
  });

  it('builds credentials from PRISM_* env', () => {
    const source = targetSourceFromEnv('nutanix', {
      PRISM_ENDPOINT: 'https://pc.example.com:9440',
      PRISM_USERNAME: 'u',
      PRISM_PASSWORD: 'p',
      PRISM_VERIFY_SSL: 'false',
      PRISM_API: 'v3',
      CLOUDTOWER_TOKEN: 'ignored-for-prism',
    });
    expect(source).toEqual({
      kind: 'env',
      provider: 'nutanix',
      endpoint: 'https://pc.example.com:9440',
      credentials: {
        endpoint: 'https://pc.example.com:9440',
        username: 'u',
        password: 'p',
        verify_ssl: false,
        api: 'v3',
      },
    });
  });

  it('accepts a CloudTower API token instead of a password', () => {
    const source = targetSourceFromEnv('cloudtower', {
      CLOUDTOWER_ENDPOINT: 'https://t',
      CLOUDTOWER_TOKEN: 'k',
    });
    expect(source.kind === 'env' && source.credentials).toEqual({ endpoint: 'https://t', token: 'k' });
  });
});

describe('usesSimulatedCmpApi', () => {
  it('runs the simulated CMP API unless a real one is configured by URL or by SSM parameter', () => {
    expect(usesSimulatedCmpApi({})).toBe(true);
    expect(usesSimulatedCmpApi({ CMP_API_URL: 'https://cmp.example' })).toBe(false);
    expect(usesSimulatedCmpApi({ CMP_API_SSM_PARAMETER: '/nflex-connector/cmp-api' })).toBe(false);
  });
});

describe('providersFromEnv', () => {
  it('defaults to both and rejects unknown names', () => {
    expect(providersFromEnv({})).toEqual(['nutanix', 'cloudtower']);
    expect(providersFromEnv({ PROVIDERS: ' cloudtower ' })).toEqual(['cloudtower']);
    expect(() => providersFromEnv({ PROVIDERS: 'nutanix,aws' })).toThrow(/PROVIDERS.*"aws"/);
  });
});

describe('summaries', () => {
  it('formats last_update with six fraction digits', () => {
    expect(formatLastUpdate(new Date(Date.UTC(2026, 10, 27, 10, 0, 0)))).toBe('2026-11-27T10:00:00.000000Z');
  });

  it('prints counts in key order and flattens metadata namespaces', () => {
    expect(formatCounts({ volume: 2, server: 1 })).toBe('1 server, 2 volume');
    expect(formatCounts({})).toBe('none');
    expect(metadataFields({ provider_specific: { api: 'v4.0' }, other: { version: '1' } })).toEqual({
      api: 'v4.0',
      version: '1',
    });
  });

  it('describes endpoints without credentials', () => {
    expect(endpointOfCredentials({ host: 'pc', password: 'secret' }, 'nutanix')).toBe('https://pc:9440');
    expect(endpointOfCredentials({ host: 'tower' }, 'cloudtower')).toBe('https://tower:443');
    expect(endpointOfCredentials({ ssm_parameter: '/p' }, 'nutanix')).toContain('/p');
  });
});
