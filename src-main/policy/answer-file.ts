import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { PartialSettings } from '../../src-shared/settings/settings-schema';
import { windowsValuesToSettings, type WindowsPolicyValues } from './windows-names';

/**
 * The unattend-style answer file: first-run defaults an installer or image builder leaves for us,
 * in the shape of Windows' `Microsoft-Windows-RemoteAssistance-Exe` component:
 *
 *   <unattend xmlns="urn:schemas-microsoft-com:unattend">
 *     <settings pass="specialize">
 *       <component name="Microsoft-Windows-RemoteAssistance-Exe" …>
 *         <fAllowToGetHelp>true</fAllowToGetHelp>
 *         <fAllowFullControl>false</fAllowFullControl>
 *         <MaxTicketExpiry>1</MaxTicketExpiry>
 *         <MaxTicketExpiryUnits>2</MaxTicketExpiryUnits>
 *         <CreateEncryptedOnlyTickets>true</CreateEncryptedOnlyTickets>
 *       </component>
 *     </settings>
 *   </unattend>
 *
 * Unlike the policy file, a broken answer file fails *open* to the built-in defaults: it only
 * supplies defaults the user may change anyway, it is never a restriction, and the built-in
 * defaults are themselves the safe ones (offers off, encrypted-only on). Failing closed here would
 * punish the user for an installer's typo without protecting anything.
 */

/** The Windows component whose settings we read. */
export const REMOTE_ASSISTANCE_COMPONENT = 'Microsoft-Windows-RemoteAssistance-Exe';

/** Larger answer files are ignored. */
export const MAX_ANSWER_FILE_BYTES = 1024 * 1024;

const BOOLEAN_ELEMENTS = ['fAllowToGetHelp', 'fAllowFullControl', 'CreateEncryptedOnlyTickets'] as const;
const NUMBER_ELEMENTS = ['MaxTicketExpiry', 'MaxTicketExpiryUnits'] as const;

/** What an answer file contributed. `malformed` and `absent` contribute nothing. */
export interface AnswerFileResult {
  readonly status: 'absent' | 'ok' | 'malformed';
  readonly file: string;
  readonly settings: PartialSettings;
  readonly warnings: readonly string[];
}

/** `--answer-file` if given, else `REMOTE_ASSIST_ANSWER_FILE`, else the platform's first-run location. */
export function answerFilePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const chosen = explicit ?? env.REMOTE_ASSIST_ANSWER_FILE;
  if (chosen) return path.resolve(chosen);
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Remote Assist', 'unattend.xml');
  if (platform === 'darwin') return '/Library/Application Support/Remote Assist/unattend.xml';
  return '/etc/remote-assist/unattend.xml';
}

/** Reads and parses the answer file. Never throws. */
export async function readAnswerFile(file: string): Promise<AnswerFileResult> {
  let text: string;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) return { status: 'malformed', file, settings: {}, warnings: [`${file}: the answer file is not a regular file; it is ignored.`] };
    if (st.size > MAX_ANSWER_FILE_BYTES) return { status: 'malformed', file, settings: {}, warnings: [`${file}: the answer file is larger than 1 MiB; it is ignored.`] };
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent', file, settings: {}, warnings: [] };
    return { status: 'malformed', file, settings: {}, warnings: [`${file}: the answer file cannot be read (${code ?? String(e)}); it is ignored.`] };
  }
  return { file, ...parseAnswerFile(text, file) };
}

/**
 * Parses answer-file XML. Never throws: malformed XML yields a warning (with line and column) and
 * no settings; unknown elements and bad values inside our component yield warnings and are skipped.
 */
export function parseAnswerFile(xml: string, source: string): { status: 'ok' | 'malformed'; settings: PartialSettings; warnings: string[] } {
  const warnings: string[] = [];
  const ignored = (why: string) => ({ status: 'malformed' as const, settings: {}, warnings: [...warnings, `${source}: ${why}; the answer file is ignored and built-in defaults apply.`] });
  try {
    if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
    if (xml.length > MAX_ANSWER_FILE_BYTES) return ignored('the answer file is larger than 1 MiB');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) return ignored(`XML error at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      // Our values are booleans and numbers: no entity we would need, and no DOCTYPE expansion to abuse.
      processEntities: false,
      isArray: (name) => name === 'settings' || name === 'component',
    });
    const doc = parser.parse(xml) as Record<string, unknown>;
    const root = doc.unattend;
    if (!isRecord(root)) return ignored('this is not an unattend answer file (the root element must be <unattend>)');
    const values: WindowsPolicyValues = {};
    let found = false;
    const badExpiry = { value: false };
    for (const pass of asArray(root.settings)) {
      if (!isRecord(pass)) continue;
      for (const comp of asArray(pass.component)) {
        if (!isRecord(comp) || comp['@_name'] !== REMOTE_ASSISTANCE_COMPONENT) continue;
        found = true;
        readComponent(comp, values, warnings, source, badExpiry);
      }
    }
    if (!found) return { status: 'ok', settings: {}, warnings };
    if (badExpiry.value) values.MaxTicketExpiry = values.MaxTicketExpiryUnits = undefined;
    const converted = windowsValuesToSettings(values, source, false);
    return { status: 'ok', settings: converted.settings, warnings: [...warnings, ...converted.warnings] };
  } catch (e) {
    return ignored(`the answer file could not be parsed (${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'})`);
  }
}

function readComponent(comp: Record<string, unknown>, values: WindowsPolicyValues, warnings: string[], source: string, badExpiry: { value: boolean }): void {
  for (const [name, raw] of Object.entries(comp)) {
    if (name.startsWith('@_') || name === '#text') continue;
    const bool = BOOLEAN_ELEMENTS.find((b) => b === name);
    const num = NUMBER_ELEMENTS.find((n) => n === name);
    if (!bool && !num) {
      warnings.push(`${source}: <${name}> is not a setting Remote Assist reads from ${REMOTE_ASSISTANCE_COMPONENT}; ignored.`);
      continue;
    }
    let value = raw;
    if (Array.isArray(value)) {
      warnings.push(`${source}: <${name}> appears more than once; the last one is used.`);
      value = value[value.length - 1];
    }
    const text = typeof value === 'string' ? value.trim() : null;
    if (bool) {
      if (text !== null && /^(true|1)$/i.test(text)) values[bool] = 1;
      else if (text !== null && /^(false|0)$/i.test(text)) values[bool] = 0;
      else warnings.push(`${source}: <${name}> must be true or false, not ${describe(value)}; ignored.`);
    } else if (num) {
      if (text !== null && /^\d{1,9}$/.test(text)) {
        if (!badExpiry.value) values[num] = parseInt(text, 10);
      }
      else {
        // Half a lifetime is worse than none: drop both halves so defaults apply.
        warnings.push(`${source}: <${name}> must be a whole number, not ${describe(value)}; the maximum invitation time from the answer file is ignored.`);
        values.MaxTicketExpiry = values.MaxTicketExpiryUnits = undefined;
        badExpiry.value = true;
      }
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === '' || v === undefined ? 'empty' : 'nested elements';
}

function asArray(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
