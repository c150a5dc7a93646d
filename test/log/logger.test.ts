/** Structured logs: one JSON object per line with the bound fields, secrets masked, levels honoured. */
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../lib/http/redact';
import { StructuredLogger, setLogSink } from '../../lib/log/logger';

afterEach(() => {
  setLogSink(null);
  delete process.env.LOG_LEVEL;
});

describe('StructuredLogger', () => {
  it('writes JSON lines with bound and per-call fields, masking secrets anywhere in the line', () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    const log = new StructuredLogger({ request_id: 'r1' }, new Redactor(['p@ss"word']));
    log.bind({ provider: 'nutanix' });
    log.info('login with p@ss"word failed', {
      detail: { body: 'echo p@ss"word' },
      error: new Error('p@ss"word'),
    });
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).not.toContain('p@ss');
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({
      level: 'info',
      message: 'login with *** failed',
      request_id: 'r1',
      provider: 'nutanix',
      detail: { body: 'echo ***' },
      error: { name: 'Error', message: '***' },
    });
  });

  it('drops lines below LOG_LEVEL', () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    process.env.LOG_LEVEL = 'warn';
    const log = new StructuredLogger({});
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['loud']);
  });
});
