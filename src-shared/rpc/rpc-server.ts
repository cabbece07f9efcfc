import type { z } from 'zod';
import { methods, isMethodName, AppError, type MethodName, type ParsedRequestOf, type RequestOf, type ResponseOf, type RpcErrorPayload } from '../contract/index';

/** Who is calling: transports fill this in so handlers and logs can tell connections apart. */
export interface CallContext {
  readonly connectionId: string;
  readonly transport: 'electron-ipc' | 'websocket' | 'memory';
}

/** The implementation of every method in the contract. */
export type Handlers = {
  [M in MethodName]: (req: ParsedRequestOf<M>, ctx: CallContext) => Promise<ResponseOf<M> | z.input<(typeof methods)[M]['response']>> | ResponseOf<M>;
};

export type CallResult = { ok: true; value: unknown } | { ok: false; error: RpcErrorPayload };

/** A single place where every call from every transport is validated, dispatched and mapped to errors. */
export interface RpcServer {
  call(method: unknown, params: unknown, ctx: CallContext): Promise<CallResult>;
}

export interface RpcServerOptions {
  handlers: Handlers;
  /** Told about unexpected exceptions (bugs), which the caller only sees as `internal`. */
  onInternalError?: (method: string, error: unknown) => void;
}

/** Formats zod issues as one readable sentence for the `invalid-request` message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`)
    .join('; ');
}

export function createRpcServer({ handlers, onInternalError }: RpcServerOptions): RpcServer {
  return {
    async call(method, params, ctx) {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'unknown-method', message: `There is no method called ${JSON.stringify(String(method)).slice(0, 140)}.` } };
      }
      const spec = methods[method];
      const parsed = spec.request.safeParse(params ?? {});
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-request', message: `Invalid request for ${method}: ${describeIssues(parsed.error)}` } };
      }
      try {
        const handler = handlers[method] as (req: unknown, ctx: CallContext) => unknown;
        const raw = await handler(parsed.data, ctx);
        // Responses are checked too: a handler returning the wrong shape is a bug we want to see at once.
        const out = spec.response.safeParse(raw);
        if (!out.success) {
          onInternalError?.(method, new Error(`response does not match the contract: ${describeIssues(out.error)}`));
          return { ok: false, error: { code: 'internal', message: `Remote Assist answered ${method} with an unexpected result.` } };
        }
        return { ok: true, value: out.data };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: e.toPayload() };
        onInternalError?.(method, e);
        return { ok: false, error: { code: 'internal', message: `Something went wrong in Remote Assist while handling ${method}. Details are in the app log.` } };
      }
    },
  };
}

/** Typed convenience for calling a server in-process (tests, CLI). */
export async function callTyped<M extends MethodName>(server: RpcServer, method: M, req: RequestOf<M>, ctx: CallContext): Promise<ResponseOf<M>> {
  const r = await server.call(method, req, ctx);
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return r.value as ResponseOf<M>;
}
