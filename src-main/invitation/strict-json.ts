// A small strict JSON reader for files from outside. JSON.parse would do the parsing, but its
// errors have no line/column in Node 20 (some quote the whole input), and it silently accepts
// what we want to refuse with a precise reason: nesting deep enough to exhaust a recursive
// validator, numbers too large to be exact (1e400 becomes Infinity), duplicate keys (JSON.parse
// keeps the last one; another reader may keep the first) and lone surrogates (which UTF-8 cannot
// encode, so two different names could canonicalize to the same bytes).

/** Why the text is not acceptable JSON, and where (1-based line and column). */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly kind: 'syntax' | 'depth' | 'number' | 'duplicate' | 'string',
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** Parses `text` as one JSON value. Throws JsonSyntaxError with a one-line reason. */
export function parseStrictJson(text: string, maxDepth: number): unknown {
  return new Reader(text, maxDepth).document();
}

const MAX_NUMBER_LITERAL = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): unknown {
    this.ws();
    const value = this.value(0);
    this.ws();
    if (this.i < this.text.length) this.fail('syntax', `unexpected ${this.describe()} after the end of the JSON value`);
    return value;
  }

  private value(depth: number): unknown {
    const c = this.text[this.i];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail('syntax', `expected a value, found ${this.describe()}`);
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) this.fail('depth', `the JSON is nested more than ${this.maxDepth} levels deep`);
    this.i++; // {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail('syntax', this.text[this.i] === '}' ? "a comma before '}' has no field after it" : `expected a field name in double quotes, found ${this.describe()}`);
      const keyAt = this.i;
      const key = this.string();
      if (seen.has(key)) this.fail('duplicate', `the field ${JSON.stringify(key.slice(0, 40))} appears twice`, keyAt);
      seen.add(key);
      this.ws();
      if (this.text[this.i] !== ':') this.fail('syntax', `expected ':' after the field name, found ${this.describe()}`);
      this.i++;
      this.ws();
      // defineProperty: a key named "__proto__" stays a plain key instead of changing the prototype.
      Object.defineProperty(out, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.text[this.i];
      this.i++;
      if (c === '}') return out;
      if (c !== ',') this.fail('syntax', `expected ',' or '}' after a field, found ${this.describe(this.i - 1)}`, this.i - 1);
    }
  }

  private array(depth: number): unknown[] {
    if (depth > this.maxDepth) this.fail('depth', `the JSON is nested more than ${this.maxDepth} levels deep`);
    this.i++; // [
    const out: unknown[] = [];
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] === ']') this.fail('syntax', "a comma before ']' has no item after it");
      out.push(this.value(depth));
      this.ws();
      const c = this.text[this.i];
      this.i++;
      if (c === ']') return out;
      if (c !== ',') this.fail('syntax', `expected ',' or ']' after a list item, found ${this.describe(this.i - 1)}`, this.i - 1);
    }
  }

  private string(): string {
    const start = this.i;
    this.i++; // "
    let out = '';
    let from = this.i;
    for (;;) {
      const code = this.text.charCodeAt(this.i);
      if (Number.isNaN(code)) this.fail('syntax', 'the text that starts here has no closing quote', start);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('string', 'a control character (such as a line break) inside quoted text');
      if (code === 0x5c) {
        out += this.text.slice(from, this.i);
        const e = this.text[this.i + 1];
        if (e === 'u') {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('string', 'a "\\u" escape needs four hexadecimal digits');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else {
          const ch = e === undefined ? undefined : ESCAPES[e];
          if (ch === undefined) this.fail('string', `"\\${e ?? ''}" is not a JSON escape`);
          out += ch;
          this.i += 2;
        }
        from = this.i;
        continue;
      }
      this.i++;
    }
    out += this.text.slice(from, this.i);
    this.i++; // "
    if (/\p{Cs}/u.test(out)) this.fail('string', 'the quoted text contains half of a surrogate pair (an invalid character)', start);
    return out;
  }

  private number(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail('syntax', `expected a number, found ${this.describe()}`);
    const literal = m[0];
    const value = Number(literal);
    // Beyond 2^53 a number is no longer exact: "9007199254740993" would silently become ...992.
    if (literal.length > MAX_NUMBER_LITERAL || !Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      this.fail('number', `the number ${literal.length > 24 ? literal.slice(0, 20) + '…' : literal} is too large`);
    }
    this.i += literal.length;
    return value;
  }

  private ws(): void {
    while (this.i < this.text.length) {
      const c = this.text.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  // What is at `at`, for messages: a printable ASCII character in quotes, else its code point.
  private describe(at = this.i): string {
    const cp = this.text.codePointAt(at);
    if (cp === undefined) return 'the end of the file';
    if (cp > 0x20 && cp < 0x7f) return `'${String.fromCodePoint(cp)}'`;
    return `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  private fail(kind: JsonSyntaxError['kind'], reason: string, at = this.i): never {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < this.text.length; k++) {
      if (this.text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    throw new JsonSyntaxError(kind, reason, line, at - lineStart + 1);
  }
}
