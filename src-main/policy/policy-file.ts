import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  PartialSettingsSchema,
  RESTRICTIVE_POLICY,
  SETTINGS,
  SETTINGS_SHAPE,
  SETTING_KEYS,
  type PartialSettings,
} from '../../src-shared/settings/settings-schema';
import { lineColumn, scanJson } from './json-scan';
import { PolicyError } from './policy-error';

/**
 * The administrator's JSON policy file: `{ "version": 1, "settings": { … } }`. A key present is
 * Enabled/Disabled by the administrator (wins over everything, locked); a key absent is Not
 * configured. A file that cannot be read is read as the most restrictive policy.
 */

/** Larger files are refused: a policy is a few kilobytes, and we read it into memory. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

/** The policy file path: `REMOTE_ASSIST_POLICY_FILE`, else the platform's machine-wide location. */
export function policyFilePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.REMOTE_ASSIST_POLICY_FILE) return path.resolve(env.REMOTE_ASSIST_POLICY_FILE);
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Remote Assist', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Remote Assist/policy.json';
  return '/etc/remote-assist/policy.json';
}

const settingsWithDocs = Object.fromEntries(
  SETTING_KEYS.map((k) => {
    const d = SETTINGS[k];
    return [k, SETTINGS_SHAPE[k].meta({ title: d.label, description: `${d.description}${d.windowsName ? ` Windows: ${d.windowsName}.` : ''} Default: ${JSON.stringify(d.default)}.` })];
  }),
);

/** The policy document. `settings` keys are validated exactly like user settings; unknown keys are errors. */
export const PolicyDocumentSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    settings: z.object(settingsWithDocs).partial().strict().optional(),
  })
  .strict()
  .meta({
    title: 'Remote Assist administrator policy',
    description:
      'Machine-wide policy for Remote Assist. Each setting present is enforced and locked for users; a setting left out is not configured. If this file cannot be read, Remote Assist runs with invitations, offers, control and file transfer off.',
  });

/** The JSON Schema published as `policy.schema.json`. */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicyDocumentSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The checked-in `policy.schema.json` text: the schema, two-space indented, with a final newline. */
export function policyJsonSchemaText(): string {
  return JSON.stringify(policyJsonSchema(), null, 2) + '\n';
}

/**
 * Parses a policy document's text. Returns the configured settings, or throws a PolicyError
 * (kind `syntax` or `schema`) — and nothing else.
 */
export function parsePolicyDocument(text: string, source: string): PartialSettings {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanJson(text);
  if (scan.error) throw new PolicyError('syntax', source, `JSON syntax error: ${scan.error.message}`, lineColumn(text, scan.error.offset));
  if (scan.duplicate) {
    const first = lineColumn(text, scan.duplicate.firstOffset);
    throw new PolicyError('schema', source, `the key appears twice (first on line ${first.line}); remove one so it is clear which value you mean`, lineColumn(text, scan.duplicate.offset), scan.duplicate.path);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // The scanner accepted it, so this should not happen; fail closed all the same.
    throw new PolicyError('syntax', source, `JSON syntax error: ${e instanceof Error ? e.message.slice(0, 200) : 'unreadable'}`);
  }
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && !('version' in doc)) {
    throw new PolicyError('schema', source, 'is missing; the file must start with "version": 1', undefined, 'version');
  }
  const r = PolicyDocumentSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const at = issuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const full = at ? `${at}.${key}` : key;
      const hint = at === 'settings' ? suggest(key) : at === '' ? ' (allowed: "$schema", "version", "settings")' : '';
      throw new PolicyError('schema', source, `unknown key ${JSON.stringify(key)}${hint}`, position(text, scan.keyOffsets.get(full)), full);
    }
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem${r.error.issues.length > 2 ? 's' : ''})` : '';
    throw new PolicyError('schema', source, `${describeIssue(issue)}${more}`, position(text, scan.keyOffsets.get(at)), at || undefined);
  }
  // Re-validate against the plain schema so the result type is exactly PartialSettings.
  const settings = PartialSettingsSchema.safeParse(r.data.settings ?? {});
  if (!settings.success) throw new PolicyError('schema', source, describeIssue(settings.error.issues[0]!));
  return settings.data;
}

/** What reading the policy file found. */
export type PolicyFileResult =
  | { readonly status: 'absent'; readonly file: string; readonly settings: PartialSettings; readonly warnings: readonly string[] }
  | { readonly status: 'ok'; readonly file: string; readonly settings: PartialSettings; readonly warnings: readonly string[] }
  | { readonly status: 'malformed'; readonly file: string; readonly settings: PartialSettings; readonly error: PolicyError; readonly warnings: readonly string[] };

/**
 * Reads the policy file. Never throws: a missing file is "not configured"; anything else that
 * keeps us from reading the administrator's intent (bad JSON, wrong types, unknown keys, > 1 MiB,
 * a directory, a FIFO, a symlink loop, no permission) yields the restrictive fallback and a
 * precise PolicyError.
 */
export async function readPolicyFile(file: string): Promise<PolicyFileResult> {
  const malformed = (error: PolicyError, warnings: string[] = []): PolicyFileResult => ({ status: 'malformed', file, settings: { ...RESTRICTIVE_POLICY }, error, warnings });
  let handle: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: if someone put a FIFO here, opening it must not hang the app.
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent', file, settings: {}, warnings: [] };
    return malformed(new PolicyError(code === 'EISDIR' ? 'not-a-file' : 'unreadable', file, openProblem(code, e)));
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return malformed(new PolicyError('not-a-file', file, st.isDirectory() ? 'it is a folder, not a file' : 'it is not a regular file'));
    if (st.size > MAX_POLICY_FILE_BYTES) return malformed(new PolicyError('too-large', file, `the file is ${st.size} bytes; a policy file may be at most ${MAX_POLICY_FILE_BYTES} bytes`));
    const buf = Buffer.alloc(MAX_POLICY_FILE_BYTES + 1);
    let len = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, len, buf.length - len, null);
      if (bytesRead === 0) break;
      len += bytesRead;
      if (len > MAX_POLICY_FILE_BYTES) return malformed(new PolicyError('too-large', file, `the file is larger than ${MAX_POLICY_FILE_BYTES} bytes`));
    }
    const warnings: string[] = [];
    if (process.platform !== 'win32' && (st.mode & 0o002) !== 0) warnings.push(`${file}: the policy file can be changed by every user of this computer; make it writable by administrators only.`);
    const text = decode(buf.subarray(0, len), file);
    if (text instanceof PolicyError) return malformed(text, warnings);
    try {
      return { status: 'ok', file, settings: parsePolicyDocument(text, file), warnings };
    } catch (e) {
      if (e instanceof PolicyError) return malformed(e, warnings);
      return malformed(new PolicyError('syntax', file, `unexpected error while reading: ${String(e)}`), warnings);
    }
  } catch (e) {
    return malformed(new PolicyError('unreadable', file, openProblem((e as NodeJS.ErrnoException).code, e)));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** UTF-8 (with or without BOM) or UTF-16LE with BOM, as Notepad may save it. */
function decode(bytes: Buffer, file: string): string | PolicyError {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new PolicyError('syntax', file, 'the file is not UTF-8 text');
  }
}

function openProblem(code: string | undefined, e: unknown): string {
  switch (code) {
    case 'ELOOP':
      return 'too many levels of symbolic links (a symbolic link loop)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
  }
}

function issuePath(p: readonly PropertyKey[]): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');
}

function position(text: string, offset: number | undefined): { line: number; column: number } | undefined {
  return offset === undefined ? undefined : lineColumn(text, offset);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'version') return `must be 1 (this version of Remote Assist reads policy format 1)`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** " (did you mean "allowInvitations"?)" for a near-miss setting name. */
function suggest(key: string): string {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of SETTING_KEYS) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best && bestD <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean ${JSON.stringify(best)}?)` : ' (see policy.schema.json for the settings)';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
