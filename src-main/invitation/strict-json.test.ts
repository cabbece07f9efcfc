import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseStrictJson } from './strict-json';

function error(text: string, depth = 16): JsonSyntaxError {
  try {
    parseStrictJson(text, depth);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error('parsed');
}

describe('parseStrictJson', () => {
  it('parses what JSON.parse parses, for ordinary documents', () => {
    const samples = ['{"a":[1,-2.5,3e2,true,false,null],"b":{"c":"x\\n\\u00e9\\ud83d\\ude00\\"\\\\\\/"}}', ' [ ] ', '{}', '"\\t"', '0', '-0.0'];
    for (const s of samples) expect(parseStrictJson(s, 16)).toEqual(JSON.parse(s));
  });

  it('keeps "__proto__" as a plain key instead of changing the prototype', () => {
    const v = parseStrictJson('{"__proto__": {"polluted": true}}', 16) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"a": 1,\n "b" 2}', 2, 6, 'syntax', "expected ':' after the field name, found '2'"],
    ['{"a": 1, "a": 2}', 1, 10, 'duplicate', 'the field "a" appears twice'],
    ['[1, 2,]', 1, 7, 'syntax', "a comma before ']' has no item after it"],
    ['[1 2]', 1, 4, 'syntax', "expected ',' or ']' after a list item, found '2'"],
    ['{"a": tru}', 1, 7, 'syntax', "expected a value, found 't'"],
    ['{"a": 01}', 1, 8, 'syntax', "expected ',' or '}' after a field, found '1'"],
    ['{"a": -}', 1, 7, 'syntax', "expected a number, found '-'"],
    ['{"a": 1}\n\n  x', 3, 3, 'syntax', "unexpected 'x' after the end of the JSON value"],
    ['{"a": "\u00e9', 1, 7, 'syntax', 'no closing quote'],
    ['{"a": "\\u12"}', 1, 8, 'string', 'four hexadecimal digits'],
    ['{', 1, 2, 'syntax', 'expected a field name in double quotes, found the end of the file'],
    ['\u00a0{}', 1, 1, 'syntax', 'expected a value, found character U+00A0'],
    ['[[[1]]]', 1, 3, 'depth', 'nested more than 2 levels deep'],
  ])('%j → line %i, column %i', (text, line, column, kind, reason) => {
    const e = error(text, 2);
    expect({ line: e.line, column: e.column, kind: e.kind }).toEqual({ line, column, kind });
    expect(e.reason).toContain(reason);
  });

  it('refuses numbers that are not exact', () => {
    expect(error('1e400').kind).toBe('number');
    expect(error('-9007199254740993').kind).toBe('number');
    expect(parseStrictJson('9007199254740991', 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('does not recurse past the depth limit (no stack overflow on 60,000 brackets)', () => {
    expect(error('['.repeat(60_000) + ']'.repeat(60_000)).kind).toBe('depth');
  });
});
