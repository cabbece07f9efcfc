/**
 * A small JSON scanner that finds what JSON.parse only half reports: the exact place of the first
 * syntax error (Node 20's messages sometimes carry no position, and sometimes echo the whole
 * input), where each key sits (so schema errors can name a line), and duplicate keys (which
 * JSON.parse silently resolves to the last one — an administrator's `false` could be overridden by
 * a later `true`). Iterative, so deep nesting cannot overflow the stack.
 */

export interface JsonScan {
  /** The first syntax error, or null when the text is valid JSON. */
  readonly error: { readonly offset: number; readonly message: string } | null;
  /** Offset of each key's opening quote, by path (`settings.offerHelpers[0].name`); first occurrence wins. */
  readonly keyOffsets: ReadonlyMap<string, number>;
  /** The first key that appears twice in one object. */
  readonly duplicate: { readonly path: string; readonly offset: number; readonly firstOffset: number } | null;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

interface Frame {
  kind: '{' | '[';
  path: string;
  index: number;
  key: string | null;
  keys: Set<string>;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Scans `text` as JSON (RFC 8259). Never throws. */
export function scanJson(text: string): JsonScan {
  const keyOffsets = new Map<string, number>();
  let duplicate: JsonScan['duplicate'] = null;
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  let expect: Expect = 'value';
  const fail = (offset: number, message: string): JsonScan => ({ error: { offset, message }, keyOffsets, duplicate });
  const afterValue = (): Expect => (stack.length ? 'comma-or-close' : 'end');
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.kind === '{' ? joinPath(top.path, top.key ?? '') : `${top.path}[${top.index}]`;
  };

  /** Scans a string starting at the quote at `i`; returns the offset after it, or an error. */
  const scanString = (): number | JsonScan => {
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === undefined) break;
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return fail(j, 'Invalid \\u escape in a string (needs four hex digits)');
          j += 6;
        } else if ('"\\/bfnrt'.includes(e)) j += 2;
        else return fail(j, `Invalid escape \\${printable(e)} in a string`);
        continue;
      }
      if (c < 0x20) return fail(j, 'Control character (such as a line break or tab) inside a string; write it as \\n or \\t');
      j++;
    }
    return fail(i, 'Unterminated string (missing closing ")');
  };

  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) {
      if (expect === 'end') return { error: null, keyOffsets, duplicate };
      return fail(n, n === 0 || text.trim() === '' ? 'The file is empty' : 'Unexpected end of file (an object, array or string is not closed)');
    }
    const c = text[i]!;
    switch (expect) {
      case 'end':
        return fail(i, `Unexpected ${describe(c)} after the end of the JSON document`);
      case 'value':
      case 'value-or-close': {
        if (c === ']' && expect === 'value-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
          break;
        }
        if (c === '{' || c === '[') {
          stack.push({ kind: c, path: valuePath(), index: 0, key: null, keys: new Set() });
          i++;
          expect = c === '{' ? 'key-or-close' : 'value-or-close';
          break;
        }
        if (c === '"') {
          const r = scanString();
          if (typeof r !== 'number') return r;
          i = r;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return fail(i, 'Invalid number');
          i += m[0].length;
        } else if (text.startsWith('true', i)) i += 4;
        else if (text.startsWith('false', i)) i += 5;
        else if (text.startsWith('null', i)) i += 4;
        else return fail(i, `Unexpected ${describe(c)}; expected a value (a string in double quotes, a number, true, false, null, an object or an array)`);
        expect = afterValue();
        break;
      }
      case 'key':
      case 'key-or-close': {
        const top = stack[stack.length - 1]!;
        if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          i++;
          expect = afterValue();
          break;
        }
        if (c !== '"') return fail(i, expect === 'key' ? `Unexpected ${describe(c)}; expected a property name in double quotes (no trailing comma is allowed)` : `Unexpected ${describe(c)}; expected a property name in double quotes or '}'`);
        const start = i;
        const r = scanString();
        if (typeof r !== 'number') return r;
        i = r;
        const key = JSON.parse(text.slice(start, r)) as string;
        const path = joinPath(top.path, key);
        if (top.keys.has(key)) duplicate ??= { path, offset: start, firstOffset: keyOffsets.get(path) ?? start };
        top.keys.add(key);
        if (!keyOffsets.has(path)) keyOffsets.set(path, start);
        top.key = key;
        expect = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return fail(i, `Unexpected ${describe(c)}; expected ':' after a property name`);
        i++;
        expect = 'value';
        break;
      case 'comma-or-close': {
        const top = stack[stack.length - 1]!;
        const close = top.kind === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          if (top.kind === '[') top.index++;
          expect = top.kind === '{' ? 'key' : 'value';
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return fail(i, `Unexpected ${describe(c)}; expected ',' or '${close}'`);
        }
        break;
      }
    }
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let j = 0; j < end; j++) {
    if (text.charCodeAt(j) === 0x0a) {
      line++;
      lineStart = j + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function describe(c: string): string {
  return `character ${printable(c)}`;
}

function printable(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
