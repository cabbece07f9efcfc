// zod's issues → one precise sentence that names the field, e.g. `the field "requester.userName"
// is missing` or `the field "kdf.N" must be a whole number (it is text)`.
import type { z } from 'zod';
import { quoteValue } from './ticket-errors';
import { WHOLE_SENTENCE } from './ticket-schema';

type Issue = z.core.$ZodIssue;

/** `requester.userName`, `candidates[2].port`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A value from the file in a few words: `text`, `the number 3`, `a list`, `"abc"` … */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${quoteValue(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'a list [ … ]',
};

/** True when the issue carries a complete sentence to show as is (e.g. hostile KDF settings). */
export function isWholeSentence(issue: Issue): boolean {
  return issue.code === 'custom' && (issue.params as Record<string, unknown> | undefined)?.wholeSentence === WHOLE_SENTENCE.wholeSentence;
}

/**
 * One issue as a clause naming the field, to follow "This invitation file is damaged: ".
 * `root` is the value that was validated, to tell a missing field from a wrong one.
 */
export function describeIssue(issue: Issue, root: unknown): string {
  const path = fieldPath(issue.path);
  const field = `the field "${path}"`;
  const value = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field} is missing`;
      return `${field} must be ${EXPECTED[issue.expected] ?? issue.expected} (it is ${describeValue(value)})`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${field} must not be empty` : `${field} is too short (at least ${issue.minimum} characters)`;
      if (issue.origin === 'array') return `${field} must have at least ${issue.minimum} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`;
      return `${field} must be at least ${issue.minimum} (it is ${describeValue(value)})`;
    case 'too_big':
      if (issue.origin === 'string') return `${field} is too long (at most ${issue.maximum} characters)`;
      if (issue.origin === 'array') return `${field} has too many entries (at most ${issue.maximum})`;
      return `${field} must be at most ${issue.maximum} (it is ${describeValue(value)})`;
    case 'invalid_value':
      return `${field} must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')} (it is ${describeValue(value)})`;
    case 'unrecognized_keys': {
      const where = path === '' ? '' : ` inside "${path}"`;
      return `it has a field Remote Assist does not know${where}: ${quoteValue(issue.keys[0] ?? '')}`;
    }
    case 'invalid_format':
    case 'custom':
      return `${path === '' ? 'it' : field} ${issue.message}`;
    default:
      return `${field} is not valid`;
  }
}
