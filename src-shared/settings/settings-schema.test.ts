import { describe, expect, it } from 'vitest';
import { changedKeys, effectiveValues, mergeSettings } from './merge-settings';
import {
  DEFAULT_INVITATION_MINUTES,
  DEFAULT_SETTINGS,
  INVITATION_MINUTES_LIMIT,
  PartialSettingsSchema,
  RESTRICTIVE_POLICY,
  SETTINGS,
  SETTING_KEYS,
  SettingsSchema,
  isSettingKey,
} from './settings-schema';

describe('settings schema', () => {
  it('every setting has a definition, and the defaults satisfy the schema', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    for (const k of SETTING_KEYS) {
      expect(SETTINGS[k].key).toBe(k);
      expect(SETTINGS[k].label.length).toBeGreaterThan(3);
      expect(SETTINGS[k].description.length).toBeGreaterThan(10);
    }
  });

  it('the Windows names administrators know are all mapped', () => {
    const names = SETTING_KEYS.map((k) => SETTINGS[k].windowsName).join(' ');
    for (const n of ['fAllowToGetHelp', 'fAllowFullControl', 'MaxTicketExpiry', 'MaxTicketExpiryUnits', 'fUseMailto', 'fAllowUnsolicited', 'fAllowUnsolicitedFullControl', 'RAUnsolicit', 'CreateEncryptedOnlyTickets', 'LoggingEnabled', 'UseCustomMessages', 'ViewMessage', 'ShareControlMessage']) {
      expect(names).toContain(n);
    }
  });

  it('safe defaults: offers off, encrypted-only on, no third-party servers, 6-hour invitations', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ allowOffers: false, allowOfferedControl: false, encryptedOnly: true, relayUrl: null, iceServers: [], maxInvitationMinutes: DEFAULT_INVITATION_MINUTES, offerListenerPort: 48721 });
    expect(DEFAULT_INVITATION_MINUTES).toBe(360);
    expect(INVITATION_MINUTES_LIMIT).toBe(30 * 24 * 60);
  });

  it('the restrictive fallback is a valid policy that switches every path off', () => {
    expect(PartialSettingsSchema.parse(RESTRICTIVE_POLICY)).toEqual(RESTRICTIVE_POLICY);
    expect(RESTRICTIVE_POLICY).toEqual({ allowInvitations: false, allowOffers: false, allowControl: false, allowOfferedControl: false, encryptedOnly: true, loggingRequired: true, allowFileTransfer: false });
  });

  it('rejects NaN, Infinity, fractions, unknown keys and blank helper names', () => {
    for (const bad of [{ maxInvitationMinutes: Number.NaN }, { maxFileSizeMB: Infinity }, { consentTimeoutSeconds: 1.5 }, { nope: true }, { offerHelpers: [{ name: '   ', fingerprint: 'SHA256:abcdefgh' }] }]) {
      expect(PartialSettingsSchema.safeParse(bad).success).toBe(false);
    }
    expect(isSettingKey('allowControl')).toBe(true);
    expect(isSettingKey('__proto__')).toBe(false);
  });
});

describe('mergeSettings', () => {
  it('picks by precedence and copies values so callers cannot mutate a layer', () => {
    const policy = { offerHelpers: [{ name: 'A', fingerprint: 'SHA256:abcdefgh' }] };
    const eff = mergeSettings({ policy, user: { allowControl: false, offerHelpers: [] }, answerFile: { allowControl: true, maxInvitationMinutes: 60 } });
    expect(eff.offerHelpers.source).toBe('policy');
    expect(eff.allowControl).toEqual({ value: false, source: 'user', locked: false });
    expect(eff.maxInvitationMinutes).toEqual({ value: 60, source: 'answer-file', locked: false });
    eff.offerHelpers.value.push({ name: 'B', fingerprint: 'SHA256:bbbbbbbb' });
    expect(policy.offerHelpers).toHaveLength(1);
    const again = mergeSettings({ policy: {}, user: {}, answerFile: {} });
    again.iceServers.value.push({ urls: 'stun:x' });
    expect(DEFAULT_SETTINGS.iceServers).toEqual([]);
  });

  it('administrator-only settings ignore the user and answer-file layers', () => {
    const eff = mergeSettings({ policy: {}, user: { allowOffers: true, loggingRequired: true }, answerFile: { useCustomMessages: true } });
    expect(eff.allowOffers).toEqual({ value: false, source: 'default', locked: true });
    expect(eff.loggingRequired.source).toBe('default');
    expect(eff.useCustomMessages.source).toBe('default');
  });

  it('changedKeys and effectiveValues', () => {
    const a = mergeSettings({ policy: {}, user: {}, answerFile: {} });
    const b = mergeSettings({ policy: { allowInvitations: true }, user: { iceServers: [{ urls: 'stun:a' }] }, answerFile: {} });
    expect(changedKeys(a, b)).toEqual(['allowInvitations', 'iceServers']); // same value, new source, still a change
    expect(changedKeys(a, a)).toEqual([]);
    expect(effectiveValues(b)).toEqual({ ...DEFAULT_SETTINGS, iceServers: [{ urls: 'stun:a' }] });
  });
});

describe('relay-only and TURN-only settings', () => {
  it('default to direct connections and any ICE route, and are administrator settings', () => {
    expect(DEFAULT_SETTINGS.directConnections).toBe(true);
    expect(DEFAULT_SETTINGS.iceTransportPolicy).toBe('all');
    expect(SETTINGS.directConnections.userEditable).toBe(false);
    expect(SETTINGS.iceTransportPolicy.userEditable).toBe(false);
  });

  it('accept exactly the values simple-peer and RTCPeerConnection take', () => {
    expect(PartialSettingsSchema.parse({ directConnections: false, iceTransportPolicy: 'relay' })).toEqual({ directConnections: false, iceTransportPolicy: 'relay' });
    for (const bad of [{ iceTransportPolicy: 'none' }, { iceTransportPolicy: 'RELAY' }, { directConnections: 'no' }, { iceTransportPolicy: null }]) {
      expect(PartialSettingsSchema.safeParse(bad).success).toBe(false);
    }
  });
});
