import {
  DEFAULT_INVITATION_MINUTES,
  HelperFingerprint,
  INVITATION_MINUTES_LIMIT,
  RESTRICTIVE_POLICY,
  SETTINGS_SHAPE,
  TICKET_EXPIRY_UNIT_MINUTES,
  type HelperEntry,
  type PartialSettings,
} from '../../src-shared/settings/settings-schema';

/**
 * Remote Assistance settings under the names Windows uses (Group Policy registry values and the
 * `Microsoft-Windows-RemoteAssistance-Exe` answer-file component). DWORDs stay numbers; the
 * answer file's `true`/`false` are mapped to 1/0 before they get here.
 */
export interface WindowsPolicyValues {
  fAllowToGetHelp?: number;
  fAllowFullControl?: number;
  MaxTicketExpiry?: number;
  MaxTicketExpiryUnits?: number;
  fUseMailto?: number;
  fAllowUnsolicited?: number;
  fAllowUnsolicitedFullControl?: number;
  /** Values of the `RAUnsolicit` subkey: value name = helper name, data = key fingerprint. */
  RAUnsolicit?: { name: string; data: string }[];
  CreateEncryptedOnlyTickets?: number;
  LoggingEnabled?: number;
  UseCustomMessages?: number;
  ViewMessage?: string;
  ShareControlMessage?: string;
}

/** Windows name → our boolean setting. A nonzero DWORD is "on", as Windows reads it. */
const BOOLEANS = {
  fAllowToGetHelp: 'allowInvitations',
  fAllowFullControl: 'allowControl',
  fUseMailto: 'useMailto',
  fAllowUnsolicited: 'allowOffers',
  fAllowUnsolicitedFullControl: 'allowOfferedControl',
  CreateEncryptedOnlyTickets: 'encryptedOnly',
  LoggingEnabled: 'loggingRequired',
  UseCustomMessages: 'useCustomMessages',
} as const;

/**
 * Converts Windows-named values to settings; problems become warnings, never exceptions. With
 * `failClosed` (administrator policy) an unreadable value takes its restrictive reading instead of
 * being dropped; an answer file only supplies defaults, so there it is dropped.
 */
export function windowsValuesToSettings(v: WindowsPolicyValues, where: string, failClosed: boolean): { settings: PartialSettings; warnings: string[] } {
  const settings: PartialSettings = {};
  const warnings: string[] = [];
  for (const [win, key] of Object.entries(BOOLEANS) as [keyof typeof BOOLEANS, (typeof BOOLEANS)[keyof typeof BOOLEANS]][]) {
    const raw = v[win];
    if (raw === undefined) continue;
    if (!Number.isInteger(raw) || raw < 0) {
      // Unreadable administrator intent: take the restrictive reading of this one value.
      const fallback = failClosed ? RESTRICTIVE_POLICY[key] : undefined;
      warnings.push(`${where}: ${win} has an invalid value (${String(raw)}); ${fallback === undefined ? 'ignored' : `treated as ${fallback ? 'on' : 'off'}`}.`);
      if (fallback !== undefined) settings[key] = fallback;
      continue;
    }
    settings[key] = raw !== 0;
  }
  if (v.MaxTicketExpiry !== undefined || v.MaxTicketExpiryUnits !== undefined) {
    const r = ticketExpiryToMinutes(v.MaxTicketExpiry, v.MaxTicketExpiryUnits);
    if (r.minutes !== undefined) {
      settings.maxInvitationMinutes = r.minutes;
      if (r.warning) warnings.push(`${where}: ${r.warning}`);
    } else if (failClosed) {
      settings.maxInvitationMinutes = DEFAULT_INVITATION_MINUTES;
      warnings.push(`${where}: ${r.warning}; the maximum invitation time is set to 6 hours.`);
    } else {
      warnings.push(`${where}: ${r.warning}; ignored.`);
    }
  }
  for (const [win, key] of [
    ['ViewMessage', 'viewMessage'],
    ['ShareControlMessage', 'shareControlMessage'],
  ] as const) {
    const text = v[win];
    if (text === undefined) continue;
    const ok = SETTINGS_SHAPE[key].safeParse(text);
    if (ok.success) settings[key] = ok.data;
    else {
      settings[key] = text.slice(0, 2000);
      warnings.push(`${where}: ${win} is longer than 2000 characters; it was shortened.`);
    }
  }
  if (v.RAUnsolicit !== undefined) {
    const helpers: HelperEntry[] = [];
    for (const { name, data } of v.RAUnsolicit) {
      const fp = data.trim();
      if (name.trim() === '' || !HelperFingerprint.safeParse(fp).success || fp === name) {
        // Windows lists accounts (DOMAIN\user); we authenticate helpers by key, so an entry
        // without a fingerprint cannot admit anyone. Skipping it only narrows the list.
        warnings.push(`${where}: RAUnsolicit entry ${JSON.stringify(name)} has no valid key fingerprint as its data; it is ignored. Set the value's data to the helper's fingerprint.`);
        continue;
      }
      helpers.push({ name: name.slice(0, 256), fingerprint: fp });
    }
    settings.offerHelpers = helpers.slice(0, 1000);
  }
  return { settings, warnings };
}

/**
 * `MaxTicketExpiry` in `MaxTicketExpiryUnits` (0 minutes, 1 hours, 2 days) as minutes. A missing
 * half takes the Windows default (6, hours); values beyond 30 days are capped, which only
 * shortens invitations.
 */
export function ticketExpiryToMinutes(expiry: number | undefined, units: number | undefined): { minutes?: number; warning?: string } {
  const u = units ?? 1;
  const e = expiry ?? DEFAULT_INVITATION_MINUTES / 60;
  const perUnit = Number.isInteger(u) ? (TICKET_EXPIRY_UNIT_MINUTES as readonly number[])[u] : undefined;
  if (perUnit === undefined) return { warning: `MaxTicketExpiryUnits must be 0 (minutes), 1 (hours) or 2 (days), not ${String(units)}` };
  if (!Number.isInteger(e) || e < 1) return { warning: `MaxTicketExpiry must be a whole number of at least 1, not ${String(expiry)}` };
  const minutes = e * perUnit;
  if (minutes > INVITATION_MINUTES_LIMIT) return { minutes: INVITATION_MINUTES_LIMIT, warning: `MaxTicketExpiry of ${e} ${['minutes', 'hours', 'days'][u]} exceeds 30 days; capped at 30 days.` };
  return { minutes };
}
