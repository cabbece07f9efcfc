import { z } from 'zod';

/**
 * Every setting Remote Assist knows: its type, built-in default, the words the "Remote settings"
 * page shows, whether the user may change it there, and the Windows policy name administrators know.
 * Pure TypeScript: the renderer imports this too.
 */

/** Minutes in the units Windows uses for `MaxTicketExpiryUnits` (0 minutes, 1 hours, 2 days). */
export const TICKET_EXPIRY_UNIT_MINUTES = [1, 60, 1440] as const;

/**
 * The longest an invitation may stay open, whatever anyone configures: 30 days, the ceiling of the
 * Windows "Remote settings" dialog.
 */
export const INVITATION_MINUTES_LIMIT = 30 * 1440;

/**
 * Default *maximum* invitation lifetime: 6 hours, the documented Windows default of
 * `MaxTicketExpiry`/`MaxTicketExpiryUnits` (6, hours). A new invitation's default lifetime is the
 * same 6 hours, capped by this maximum; 30 days is only the upper bound an administrator may set.
 * We chose the short Windows default over the 30-day ceiling because an open invitation is an
 * open door.
 */
export const DEFAULT_INVITATION_MINUTES = 6 * 60;

/** TCP port of the offer listener: unassigned in the IANA registry, above the ephemeral range floor of most systems. */
export const DEFAULT_OFFER_LISTENER_PORT = 48721;

/**
 * A helper's identity-key fingerprint (helper ID) as the helper's app displays it: `SHA256:` and 43
 * base64url characters (src-main/offer/fingerprint.ts). Kept loose here so a policy with an odd
 * entry still loads; the offer service compares canonical forms, and logs entries that match no key.
 */
export const HelperFingerprint = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9:+/=_.-]*$/, 'a key fingerprint (letters, digits and : + / = _ . -)');

/** One entry of an offer allow-list: a display name and the helper's key fingerprint. */
export const HelperEntry = z.object({ name: z.string().max(256).regex(/\S/, 'a name (not only spaces)'), fingerprint: HelperFingerprint }).strict();
export type HelperEntry = z.infer<typeof HelperEntry>;

/** A STUN/TURN server for WebRTC (same shape as RTCIceServer). */
export const IceServer = z
  .object({
    urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):\S+$/), z.array(z.string().regex(/^(stun|stuns|turn|turns):\S+$/)).min(1).max(8)]),
    username: z.string().max(512).optional(),
    credential: z.string().max(512).optional(),
  })
  .strict();
export type IceServer = z.infer<typeof IceServer>;

const message = z.string().max(2000);

/** The zod type of each setting. Keys are the names used in the policy file and the user settings file. */
export const SETTINGS_SHAPE = {
  allowInvitations: z.boolean(),
  allowControl: z.boolean(),
  maxInvitationMinutes: z.number().int().min(1).max(INVITATION_MINUTES_LIMIT),
  useMailto: z.boolean(),
  allowOffers: z.boolean(),
  allowOfferedControl: z.boolean(),
  offerHelpers: z.array(HelperEntry).max(1000),
  offerAdmins: z.array(HelperEntry).max(1000),
  offerListenerPort: z.number().int().min(1024).max(65535),
  encryptedOnly: z.boolean(),
  loggingRequired: z.boolean(),
  useCustomMessages: z.boolean(),
  viewMessage: message,
  shareControlMessage: message,
  allowFileTransfer: z.boolean(),
  maxFileSizeMB: z.number().int().min(1).max(1024 * 1024),
  consentTimeoutSeconds: z.number().int().min(5).max(600),
  relayUrl: z
    .string()
    .max(2048)
    .regex(/^(wss?|https?):\/\/[^\s/?#]+[^\s]*$/, 'a ws://, wss://, http:// or https:// URL')
    // The link is end-to-end encrypted anyway; TLS to the relay also hides the pairing id and stops
    // on-path injection of relay notices. Plain ws:// only makes sense for a relay on this computer.
    .refine((u) => !/^(ws|http):/i.test(u) || /^(ws|http):\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i.test(u), {
      message: 'use wss:// (ws:// is allowed only for a relay on this computer: 127.0.0.1, ::1 or localhost, for tests)',
    })
    .nullable(),
  directConnections: z.boolean(),
  iceServers: z.array(IceServer).max(16),
  iceTransportPolicy: z.enum(['all', 'relay']),
} as const;

/** A complete set of values, one per setting. */
export const SettingsSchema = z.object(SETTINGS_SHAPE).strict();
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

/** Any subset of settings (a policy file's `settings`, the user's file, an answer file's contribution). */
export const PartialSettingsSchema = SettingsSchema.partial().strict();
export type PartialSettings = Partial<Settings>;

/** Where an effective value came from, strongest first. */
export type SettingSource = 'policy' | 'user' | 'answer-file' | 'default';

/** One setting as the app must apply it, with where it came from. */
export interface EffectiveValue<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** True when the user cannot change it: set by the administrator, or an administrator-only setting. */
  readonly locked: boolean;
}

/** Every setting's effective value. */
export type EffectiveSettings = { readonly [K in SettingKey]: EffectiveValue<Settings[K]> };

/** Describes one setting for the settings page, `policy show` and the documentation. */
export interface SettingDefinition<K extends SettingKey = SettingKey> {
  readonly key: K;
  readonly schema: (typeof SETTINGS_SHAPE)[K];
  readonly default: Settings[K];
  readonly label: string;
  readonly description: string;
  /** May the user change it on the "Remote settings" page? Otherwise only policy (or the answer file) sets it. */
  readonly userEditable: boolean;
  /** The Windows registry / Group Policy value name, or null when Windows has no equivalent. */
  readonly windowsName: string | null;
}

type Definitions = { readonly [K in SettingKey]: Omit<SettingDefinition<K>, 'key' | 'schema'> };

const DEFINITIONS: Definitions = {
  allowInvitations: {
    default: true,
    label: 'Allow invitations',
    description: 'Let people on this computer invite someone to help them (by file, e-mail or code). Off disables every invitation path.',
    userEditable: true,
    windowsName: 'fAllowToGetHelp',
  },
  allowControl: {
    default: true,
    label: 'Invited helpers may take control',
    description: 'When off, helpers who come through an invitation can only view the screen.',
    userEditable: true,
    windowsName: 'fAllowFullControl',
  },
  maxInvitationMinutes: {
    default: DEFAULT_INVITATION_MINUTES,
    label: 'Longest an invitation may stay open (minutes)',
    description: 'Invitations close themselves after at most this time. Up to 30 days.',
    userEditable: true,
    windowsName: 'MaxTicketExpiry + MaxTicketExpiryUnits',
  },
  useMailto: {
    default: false,
    label: 'Send e-mail invitations with a mailto: link',
    description: 'Use a mailto: link instead of attaching the invitation through the mail program.',
    userEditable: true,
    windowsName: 'fUseMailto',
  },
  allowOffers: {
    default: false,
    label: 'Allow offers of help',
    description: 'Let helpers on the allow-list offer help to this computer without an invitation (the offer listener runs).',
    userEditable: false,
    windowsName: 'fAllowUnsolicited',
  },
  allowOfferedControl: {
    default: false,
    label: 'Offering helpers may take control',
    description: 'When off, helpers who offered help can only view the screen.',
    userEditable: false,
    windowsName: 'fAllowUnsolicitedFullControl',
  },
  offerHelpers: {
    default: [],
    label: 'Helpers who may offer help',
    description: 'Names and key fingerprints of the helpers allowed to offer help.',
    userEditable: false,
    windowsName: 'RAUnsolicit',
  },
  offerAdmins: {
    default: [],
    label: 'Administrators of this computer',
    description: 'Helper keys of this computer\u2019s administrators; they may offer help whenever offers are allowed, without being on the helper list.',
    userEditable: false,
    windowsName: null,
  },
  offerListenerPort: {
    default: DEFAULT_OFFER_LISTENER_PORT,
    label: 'Offer listener port',
    description: 'TCP port on which this computer listens for offers of help.',
    userEditable: false,
    windowsName: null,
  },
  encryptedOnly: {
    default: true,
    label: 'Encrypted-only invitations',
    description: 'Invitations carry this computer\u2019s addresses only in encrypted form.',
    userEditable: true,
    windowsName: 'CreateEncryptedOnlyTickets',
  },
  loggingRequired: {
    default: false,
    label: 'Sessions require a log',
    description: 'Refuse to start a session whose log cannot be written. (Sessions are always logged when possible.)',
    userEditable: false,
    windowsName: 'LoggingEnabled',
  },
  useCustomMessages: {
    default: false,
    label: 'Show the administrator\u2019s warning messages',
    description: 'Show the texts below instead of the built-in warnings before sharing the screen and before sharing control.',
    userEditable: false,
    windowsName: 'UseCustomMessages',
  },
  viewMessage: {
    default: '',
    label: 'Warning before sharing the screen',
    description: 'Shown in the consent prompt before a helper may see the screen.',
    userEditable: false,
    windowsName: 'ViewMessage',
  },
  shareControlMessage: {
    default: '',
    label: 'Warning before sharing control',
    description: 'Shown in the prompt before a helper may use the mouse and keyboard.',
    userEditable: false,
    windowsName: 'ShareControlMessage',
  },
  allowFileTransfer: {
    default: true,
    label: 'Allow sending and receiving files',
    description: 'Let the two people exchange files during a session (each file is accepted one by one).',
    userEditable: true,
    windowsName: null,
  },
  maxFileSizeMB: {
    default: 4096,
    label: 'Largest file (MB)',
    description: 'Files larger than this are refused.',
    userEditable: true,
    windowsName: null,
  },
  consentTimeoutSeconds: {
    default: 60,
    label: 'Time to answer a request (seconds)',
    description: 'A consent prompt left unanswered this long counts as "No".',
    userEditable: true,
    windowsName: null,
  },
  relayUrl: {
    default: null,
    label: 'Relay server',
    description: 'Relay used when the two computers cannot reach each other directly. None by default.',
    userEditable: true,
    windowsName: null,
  },
  // Administrators only: "relay only" is how an organisation keeps every connection on servers it
  // runs (and the helper from learning the requester's addresses); a user must not undo it.
  directConnections: {
    default: true,
    label: 'Direct connections',
    description: 'When off, invitations connect only through the relay server: they list none of this computer\u2019s addresses, its invitation port is not reachable from the network, and as a helper it connects only through the relay. Needs a relay server.',
    userEditable: false,
    windowsName: null,
  },
  iceServers: {
    default: [],
    label: 'STUN/TURN servers',
    description: 'Servers used to set up the screen-sharing stream. None by default: no third-party server is contacted.',
    userEditable: true,
    windowsName: null,
  },
  iceTransportPolicy: {
    default: 'all',
    label: 'Screen video route',
    description: '"all": the screen video goes directly between the two computers when it can. "relay": only through a TURN server (from the relay or the STUN/TURN servers above), so neither side learns the other\u2019s addresses.',
    userEditable: false,
    windowsName: null,
  },
};

/** The settings in display order. */
export const SETTING_KEYS = Object.keys(SETTINGS_SHAPE) as SettingKey[];

/** Every setting's definition, by key. */
export const SETTINGS: { readonly [K in SettingKey]: SettingDefinition<K> } = Object.fromEntries(
  SETTING_KEYS.map((key) => [key, { key, schema: SETTINGS_SHAPE[key], ...DEFINITIONS[key] }]),
) as { readonly [K in SettingKey]: SettingDefinition<K> };

/** The built-in defaults (the last source in the precedence order). */
export const DEFAULT_SETTINGS: Settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, DEFINITIONS[k].default])) as Settings;

/** True when `key` names a setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS_SHAPE, key);
}

/**
 * The reading of a policy that could not be parsed: every assistance path it might have been
 * restricting is off, and everything that tightens security is on. Applied as policy (locked).
 */
export const RESTRICTIVE_POLICY: PartialSettings = Object.freeze({
  allowInvitations: false,
  allowOffers: false,
  allowControl: false,
  allowOfferedControl: false,
  encryptedOnly: true,
  loggingRequired: true,
  allowFileTransfer: false,
});
