/** The Redactor: secrets never survive into a message, in any encoding we send them in. */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../lib/http';

describe('Redactor', () => {
  it('masks a password, its URL-encoded and JSON-escaped forms, and the Basic auth string', () => {
    const r = new Redactor();
    r.addBasicAuth('admin', 'p@ss "w/rd"');
    const basic = Buffer.from('admin:p@ss "w/rd"').toString('base64');
    const text = `a p@ss "w/rd" b ${encodeURIComponent('p@ss "w/rd"')} c ${JSON.stringify('p@ss "w/rd"')} d ${basic}`;
    const out = r.redact(text);
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain(basic);
    expect(out).not.toContain('w/rd');
  });

  it('masks the longest secret whole when one secret contains another', () => {
    const r = new Redactor(['secret', 'secret-token-123']);
    expect(r.redact('x secret-token-123 y secret z')).toBe('x *** y *** z');
  });

  it('masks a very short secret where it stands alone, without shredding ordinary words', () => {
    const r = new Redactor(['pw', '1']);
    expect(r.redact("password 'pw' rejected for user1 (code 1)")).toBe(
      "password '***' rejected for user1 (code ***)",
    );
  });

  it('ignores empty and missing secrets', () => {
    const r = new Redactor(['', undefined, null]);
    expect(r.redact('nothing to hide')).toBe('nothing to hide');
  });
});
