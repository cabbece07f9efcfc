import { z } from 'zod';

/**
 * Remote input events: what the helper's page builds from DOM events and its main sends on the
 * `control` channel, and what the requester's main decodes before anything is injected
 * (CONVENTIONS.md "Trust lives in main"). Everything here is allow-listed: event types, key names,
 * number ranges and text length. Pure TypeScript: the helper's renderer imports it too.
 */

/** Largest wheel movement in one event, in notches (a DOM wheel event is usually 1–3). */
export const WHEEL_MAX_NOTCHES = 20;
/** Longest `text` event, in Unicode code points (one IME commit or composed character run). */
export const TEXT_MAX_CHARS = 64;
/** Longest key name or code on the wire; real DOM names are shorter. */
const KEY_NAME_MAX = 32;

/** Named (non-printable) keys the helper may press: DOM `KeyboardEvent.key` values. */
export const NAMED_KEYS = [
  'Enter', 'Tab', 'Backspace', 'Delete', 'Escape', 'Insert',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown',
  'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12',
  'Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'ScrollLock',
  'ContextMenu', 'PrintScreen', 'Pause',
] as const;
export type NamedKey = (typeof NAMED_KEYS)[number];

/** Modifiers whose side comes from `code`; the injectors take the sided names below. */
export const SIDED_MODIFIER_KEYS = ['Shift', 'Control', 'Alt', 'Meta'] as const;
export const SIDED_MODIFIERS = ['ShiftLeft', 'ShiftRight', 'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'MetaLeft', 'MetaRight'] as const;
export type SidedModifier = (typeof SIDED_MODIFIERS)[number];

const namedKeySet: ReadonlySet<string> = new Set(NAMED_KEYS);
const sidedModifierKeySet: ReadonlySet<string> = new Set(SIDED_MODIFIER_KEYS);
const sidedModifierSet: ReadonlySet<string> = new Set(SIDED_MODIFIERS);
const namedKeyByLowerCase = new Map<string, NamedKey>(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));

/** Older or browser-specific spellings of the same keys (legacy Edge/Firefox `key` values). */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  esc: 'Escape', spacebar: ' ', space: ' ', return: 'Enter', del: 'Delete', left: 'ArrowLeft', right: 'ArrowRight',
  up: 'ArrowUp', down: 'ArrowDown', apps: 'ContextMenu', menu: 'ContextMenu', os: 'Meta', win: 'Meta', super: 'Meta',
  scroll: 'ScrollLock', altgr: 'AltGraph', ctrl: 'Control',
};

/** True for a single printable ASCII character (space to tilde): letters, digits, punctuation. */
function isPrintableAscii(key: string): boolean {
  if (key.length !== 1) return false;
  const c = key.charCodeAt(0);
  return c >= 0x20 && c <= 0x7e;
}

/**
 * The canonical allow-listed name for a DOM `KeyboardEvent.key` value (or a known alias), or null
 * when the key is not allowed. Printable keys are single ASCII characters and stay case-sensitive;
 * other printable characters travel as `text` events. Keys that could act on the machine rather
 * than on an application (Power, Sleep, LogOff, media and browser keys) are deliberately absent.
 */
export function normaliseKeyName(key: string): string | null {
  if (typeof key !== 'string' || key.length === 0 || key.length > KEY_NAME_MAX) return null;
  if (isPrintableAscii(key)) return key;
  if (namedKeySet.has(key)) return key;
  const lower = key.toLowerCase();
  return namedKeyByLowerCase.get(lower) ?? KEY_ALIASES[lower] ?? null;
}

/** True when `key` is on the allow-list (directly or through an alias). */
export function isAllowedKeyName(key: string): boolean {
  return normaliseKeyName(key) !== null;
}

/**
 * The name an injector presses: the canonical key, with Shift/Control/Alt/Meta made sided from the
 * DOM `code` (`ShiftRight` …; left when `code` says nothing). Null when the key is not allowed.
 */
export function resolveInjectKey(key: string, code?: string): string | null {
  const name = normaliseKeyName(key);
  if (name === null) return null;
  if (!sidedModifierKeySet.has(name)) return name;
  return code === `${name}Right` ? `${name}Right` : `${name}Left`;
}

/** True for names `resolveInjectKey` can return: what `InputInjector.key` accepts. */
export function isInjectKeyName(name: string): boolean {
  return sidedModifierSet.has(name) || (normaliseKeyName(name) === name && !sidedModifierKeySet.has(name));
}

/** Control characters, line/paragraph separators and lone surrogates: never typed as text. */
const FORBIDDEN_TEXT = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

const coord = z.number().min(0).max(1);
const notches = z.number().int().min(-WHEEL_MAX_NOTCHES).max(WHEEL_MAX_NOTCHES);

/** Pointer moved; x and y are normalised 0..1 over the shared display (main maps them to pixels). */
export const PointerMoveEvent = z.object({ type: z.literal('pointer.move'), x: coord, y: coord }).strict();
/** A pointer button went down or up at (x, y). */
export const PointerButtonEvent = z
  .object({ type: z.literal('pointer.button'), x: coord, y: coord, button: z.enum(['left', 'middle', 'right']), down: z.boolean() })
  .strict();
/** Wheel at (x, y), in whole notches: positive dy scrolls down, positive dx scrolls right (DOM sense). */
export const PointerWheelEvent = z.object({ type: z.literal('pointer.wheel'), x: coord, y: coord, dx: notches, dy: notches }).strict();
/** A key went down or up. `key` is a DOM key value on the allow-list; `code` (DOM code) picks the side of modifiers. */
export const KeyEvent = z
  .object({
    type: z.literal('key'),
    key: z.string().max(KEY_NAME_MAX).refine(isAllowedKeyName, { message: 'unknown-key' }),
    code: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/).optional(),
    down: z.boolean(),
  })
  .strict();
/** Composed text (IME commit, characters outside the key allow-list): bounded, no control characters. */
export const TextEvent = z
  .object({
    type: z.literal('text'),
    text: z
      .string()
      .min(1)
      .max(TEXT_MAX_CHARS * 2)
      .refine((s) => [...s].length <= TEXT_MAX_CHARS, { message: 'text-too-long' })
      .refine((s) => !FORBIDDEN_TEXT.test(s), { message: 'control-character' }),
  })
  .strict();

/** One remote input event as it travels on the `control` channel. */
export const RemoteInputEvent = z.discriminatedUnion('type', [PointerMoveEvent, PointerButtonEvent, PointerWheelEvent, KeyEvent, TextEvent]);
export type RemoteInputEvent = z.infer<typeof RemoteInputEvent>;
export type MouseButton = z.infer<typeof PointerButtonEvent>['button'];

/** Why a received input event was not decoded. */
export type InputDecodeFailure = 'malformed' | 'out-of-range' | 'unknown-key';
export type InputDecodeResult = { ok: true; event: RemoteInputEvent } | { ok: false; reason: InputDecodeFailure; detail: string };

const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['x', 'y', 'dx', 'dy']);

/**
 * Decodes an untrusted value into a RemoteInputEvent, classifying failures so the gate can log why
 * (`out-of-range`: a number outside its range or not finite, or text too long; `unknown-key`: a key
 * name off the allow-list; `malformed`: anything else). `detail` names fields, never values: a
 * dropped event may hold what the helper typed.
 */
export function decodeRemoteInput(raw: unknown): InputDecodeResult {
  const parsed = RemoteInputEvent.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issues = parsed.error.issues;
  const fields = [...new Set(issues.map((i) => i.path.map(String).join('.') || '(event)'))].join(', ');
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const all = (test: (i: (typeof issues)[number]) => boolean) => issues.length > 0 && issues.every(test);
  const field = (i: (typeof issues)[number]) => (i.path.length === 1 ? String(i.path[0]) : '');
  const fractional = (i: (typeof issues)[number]) => i.code === 'invalid_type' && i.expected === 'int';
  if (all((i) => NUMERIC_FIELDS.has(field(i)) && typeof obj[field(i)] === 'number' && !fractional(i))) {
    return { ok: false, reason: 'out-of-range', detail: fields };
  }
  if (all((i) => field(i) === 'key' && typeof obj.key === 'string')) return { ok: false, reason: 'unknown-key', detail: fields };
  if (all((i) => field(i) === 'text' && (i.code === 'too_big' || i.message === 'text-too-long'))) {
    return { ok: false, reason: 'out-of-range', detail: fields };
  }
  return { ok: false, reason: 'malformed', detail: fields };
}
