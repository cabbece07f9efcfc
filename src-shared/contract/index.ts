import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { invitationEvents, invitationMethods } from './invitation';
import { sessionEvents, sessionMethods } from './session';
import { consentEvents, consentMethods } from './consent';
import { chatEvents, chatMethods } from './chat';
import { filesEvents, filesMethods } from './files';
import { settingsEvents, settingsMethods } from './settings';
import { logsMethods } from './logs';
import { offerEvents, offerMethods } from './offer';

/**
 * The whole IPC contract between the page and main, as data. Every transport (Electron IPC, the
 * browser host's WebSocket, the in-memory pair used in tests) carries exactly these names, and the
 * server validates every request against these schemas. Types below are derived, never restated.
 */
export const methods = {
  ...appMethods,
  ...invitationMethods,
  ...sessionMethods,
  ...consentMethods,
  ...chatMethods,
  ...filesMethods,
  ...settingsMethods,
  ...logsMethods,
  ...offerMethods,
} as const;

export const events = {
  ...appEvents,
  ...invitationEvents,
  ...sessionEvents,
  ...consentEvents,
  ...chatEvents,
  ...filesEvents,
  ...settingsEvents,
  ...offerEvents,
} as const;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods & string;
export type EventName = keyof Events & string;
/** What a caller passes (before defaults and transforms). */
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives (after validation). */
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
/** What a caller receives. */
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

export * from './errors';
export * from './app';
export * from './invitation';
export * from './session';
export * from './consent';
export * from './chat';
export * from './files';
export * from './settings';
export * from './logs';
export * from './offer';
