import { AppError } from '../../src-shared/contract/errors';

/** What went wrong with the administrator's policy. */
export type PolicyErrorKind = 'syntax' | 'schema' | 'too-large' | 'not-a-file' | 'unreadable' | 'registry';

/**
 * The administrator's policy could not be read. Carries where (file and, for JSON problems, line
 * and column; or the setting key) so the message can point the administrator at the fix. While
 * one exists, Remote Assist runs with the restrictive fallback (RESTRICTIVE_POLICY).
 */
export class PolicyError extends AppError {
  constructor(
    readonly kind: PolicyErrorKind,
    /** The policy file path, or the registry key. */
    readonly source: string,
    /** What is wrong, without the location prefix. */
    readonly problem: string,
    readonly position?: { readonly line: number; readonly column: number },
    /** The setting path the problem is about (`settings.allowInvitations`), for schema errors. */
    readonly key?: string,
  ) {
    super(
      kind === 'syntax' || kind === 'schema' || kind === 'too-large' ? 'invalid-input' : 'io',
      `${source}${position ? `:${position.line}:${position.column}` : ''}: ${key ? `${key}: ` : ''}${problem}`,
      { kind, source, ...(position ?? {}), ...(key ? { key } : {}) },
    );
  }
}

/** The sentence the UI and the CLI show while the restrictive fallback is in force. */
export function describePolicyError(err: PolicyError): string {
  const what = err.kind === 'registry' ? 'Your administrator\u2019s policy (registry)' : 'Your administrator\u2019s policy file';
  return `${what} could not be read (${err.message}); Remote Assist is running with everything restricted: invitations, offers, control and file transfer are off.`;
}
