/** Exact integers beyond 2^53 (lib/http/json): only unsafe integer literals outside strings change. */
import { describe, expect, it } from 'vitest';
import { parseJsonExactIntegers, quoteLargeIntegers } from '../../lib/http/json';

describe('parseJsonExactIntegers', () => {
  it('keeps the digits of integers beyond 2^53 and leaves every other value as JSON.parse reads it', () => {
    // Prepare
    const text =
      '{"big":1046537006312362520,"neg":-1046537006312362520,"safe":9007199254740991,' +
      '"float":1.5e300,"exp":12345678901234567890e2,"s":"1046537006312362520 \\" 99999999999999999999",' +
      '"list":[18446744073709551615, 3]}';
    // Act
    const value = parseJsonExactIntegers(text) as Record<string, unknown>;
    // Assess
    expect(value).toEqual({
      big: '1046537006312362520',
      neg: '-1046537006312362520',
      safe: 9007199254740991,
      float: 1.5e300,
      exp: Number('12345678901234567890e2'),
      s: '1046537006312362520 " 99999999999999999999',
      list: ['18446744073709551615', 3],
    });
  });

  it('returns the very same text when nothing needs quoting', () => {
    const text = '{"a":[1,2,-3.5],"b":"x"}';
    expect(quoteLargeIntegers(text)).toBe(text);
  });
});
