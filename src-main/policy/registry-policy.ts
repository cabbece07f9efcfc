import type { PartialSettings } from '../../src-shared/settings/settings-schema';
import type { CommandRunner } from '../platform/firewall/command-runner';
import { PolicyError } from './policy-error';
import { windowsValuesToSettings, type WindowsPolicyValues } from './windows-names';

/**
 * Windows Group Policy for Remote Assistance, read from the registry where gpupdate writes it.
 * We shell out to `reg query … /s` (through an injected runner) rather than load a native
 * registry module: reg.exe ships with every Windows and its output is stable and recordable.
 */

/** The key Group Policy's "System\Remote Assistance" templates write. */
export const REMOTE_ASSISTANCE_POLICY_KEY = 'HKLM\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services';

/** One value line of `reg query` output. */
export interface RegValue {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

/** One key block of `reg query /s` output. */
export interface RegKey {
  readonly path: string;
  readonly values: RegValue[];
}

/** What reading the registry policy found; same outcomes as the policy file. */
export type RegistryPolicyResult =
  | { readonly status: 'absent'; readonly source: string; readonly settings: PartialSettings; readonly warnings: readonly string[] }
  | { readonly status: 'ok'; readonly source: string; readonly settings: PartialSettings; readonly warnings: readonly string[] }
  | { readonly status: 'error'; readonly source: string; readonly error: PolicyError; readonly warnings: readonly string[] };

const NOT_FOUND = /unable to find the specified registry key or value/i;
const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/** Parses `reg query /s` output (CRLF or LF) into key blocks. Unrecognised lines are skipped. */
export function parseRegQueryOutput(stdout: string): RegKey[] {
  const keys: RegKey[] = [];
  let current: RegKey | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      current = { path: line.trim(), values: [] };
      keys.push(current);
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (m && current) current.values.push({ name: m[1]!, type: m[2]!, data: (m[3] ?? '').replace(/\s+$/, '') });
  }
  return keys;
}

/** The Remote Assistance values (under their Windows names) found in the parsed keys. */
export function toWindowsPolicyValues(keys: readonly RegKey[]): { values: WindowsPolicyValues; warnings: string[] } {
  const values: WindowsPolicyValues = {};
  const warnings: string[] = [];
  const root = keys.find((k) => !/\\RAUnsolicit$/i.test(k.path) && /\\Terminal Services$/i.test(k.path));
  const dwordNames = ['fAllowToGetHelp', 'fAllowFullControl', 'MaxTicketExpiry', 'MaxTicketExpiryUnits', 'fUseMailto', 'fAllowUnsolicited', 'fAllowUnsolicitedFullControl', 'CreateEncryptedOnlyTickets', 'LoggingEnabled', 'UseCustomMessages'] as const;
  for (const v of root?.values ?? []) {
    const dw = dwordNames.find((n) => n.toLowerCase() === v.name.toLowerCase());
    if (dw) {
      // A value of the wrong type becomes NaN, which the converter reads restrictively.
      values[dw] = v.type === 'REG_DWORD' && /^0x[0-9a-f]+$/i.test(v.data) ? parseInt(v.data, 16) : NaN;
      if (v.type !== 'REG_DWORD') warnings.push(`${REMOTE_ASSISTANCE_POLICY_KEY}\\${v.name} should be a REG_DWORD, not ${v.type}.`);
      continue;
    }
    if (/^(ViewMessage|ShareControlMessage)$/i.test(v.name)) {
      const name = v.name.toLowerCase() === 'viewmessage' ? 'ViewMessage' : 'ShareControlMessage';
      values[name] = v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ' ? v.data : '';
    }
  }
  const list = keys.find((k) => /\\Terminal Services\\RAUnsolicit$/i.test(k.path));
  if (list) values.RAUnsolicit = list.values.filter((v) => v.type === 'REG_SZ' && v.name !== '(Default)').map((v) => ({ name: v.name, data: v.data }));
  return { values, warnings };
}

/**
 * Reads Remote Assistance policy from the registry. Never throws. A missing key is "not
 * configured"; any other failure of reg.exe means we cannot know the administrator's intent, so
 * it is an error (and the caller applies the restrictive fallback).
 */
export async function readRegistryPolicy(run: CommandRunner): Promise<RegistryPolicyResult> {
  const source = REMOTE_ASSISTANCE_POLICY_KEY;
  let r;
  try {
    r = await run('reg', ['query', REMOTE_ASSISTANCE_POLICY_KEY, '/s']);
  } catch (e) {
    return { status: 'error', source, error: new PolicyError('registry', source, `reg query failed: ${String(e)}`), warnings: [] };
  }
  if (r.code !== 0) {
    if (NOT_FOUND.test(r.stderr) || NOT_FOUND.test(r.stdout)) return { status: 'absent', source, settings: {}, warnings: [] };
    return { status: 'error', source, error: new PolicyError('registry', source, `reg query failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`), warnings: [] };
  }
  const { values, warnings } = toWindowsPolicyValues(parseRegQueryOutput(r.stdout));
  const converted = windowsValuesToSettings(values, source, true);
  const status = Object.keys(converted.settings).length ? 'ok' : 'absent';
  return { status, source, settings: converted.settings, warnings: [...warnings, ...converted.warnings] };
}
