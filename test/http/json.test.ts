/** Exact integers beyond 2^53 (lib/http/json): only unsafe integer literals outside strings change. */
import { describe, expect, it } from 'vitest';
import { parseJsonArray, parseJsonExactIntegers, quoteLargeIntegers } from '../../lib/http/json';

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

describe('parseJsonArray', () => {
  const texts = [
    '[]',
    ' [ ] ',
    '[1]',
    '[{"a":"x,]}\\\\","b":[1,{"c":"\\"]"}],"d":{}},null,"s\\\\",[[]],-2.5e3,true]',
    '\n[ {"k" : [ "[" , "{" ] } ,\t{"u":"\\u005d\\u002c"} ]\r\n',
    '{"not":"an array"}',
    '"[1,2]"',
  ];

  it.each(texts)('reads %s as JSON.parse does, each element through the callback', (text) => {
    // Prepare
    const seen: unknown[] = [];
    // Act
    const value = parseJsonArray(text, (v) => {
      seen.push(v);
      return v;
    });
    // Assess
    expect(value).toEqual(JSON.parse(text));
    expect(seen).toEqual(Array.isArray(value) ? value : []);
  });

  it('returns what the callback makes of each element', () => {
    // Act
    const value = parseJsonArray('[{"id":"a","big":"x"},{"id":"b","big":"y"}]', (v) => ({
      id: (v as { id: string }).id,
    }));
    // Assess
    expect(value).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it.each(['[', '[1,', '[1,]', '[,1]', '[1 2]', '[{"a":1]', '[{"a":"unterminated]', '[1]x', '[1],[2]', ''])(
    'rejects the malformed text %j with a SyntaxError',
    (text) => {
      // Act + Assess
      expect(() => parseJsonArray(text, (v) => v)).toThrow(SyntaxError);
    },
  );
});
