import { z } from 'zod';
import { RpcErrorPayload } from '../contract/errors';

/**
 * The frames text transports (WebSocket, the in-memory pair) carry. Only the envelope is checked
 * here; `params` is validated against the method's own schema by the server.
 */
export const CallFrame = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(128),
  params: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultFrame = z.union([
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(false), error: RpcErrorPayload }),
]);
export type ResultFrame = z.infer<typeof ResultFrame>;

export const EventFrame = z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() });
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.union([ResultFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** A bidirectional text pipe: a WebSocket, or one end of the in-memory pair. */
export interface TextConnection {
  send(text: string): void;
  onMessage(cb: (text: string) => void): void;
  onClose(cb: () => void): void;
  close(): void;
}
