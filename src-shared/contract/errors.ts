import { z } from 'zod';

/**
 * Error codes the UI can act on. `invalid-request` and `unknown-method` come from the RPC layer;
 * the rest are raised by services so the page can show a specific message and next step.
 */
export const ErrorCode = z.enum([
  'invalid-request',
  'unknown-method',
  'internal',
  'not-found',
  'conflict',
  'disabled-by-policy',
  'invalid-input',
  'expired',
  'wrong-password',
  'locked',
  'unreachable',
  'timeout',
  'refused',
  'io',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What every failed call answers: a code to branch on and a sentence to show. */
export const RpcErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Extra machine-readable facts (attempts left, expiry time …), never secrets. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type RpcErrorPayload = z.infer<typeof RpcErrorPayload>;

/** Thrown by services and by the RPC client; carries a code the UI can branch on. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toPayload(): RpcErrorPayload {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** True when `e` is an AppError with the given code. */
export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
