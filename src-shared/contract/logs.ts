import { z } from 'zod';
import { method } from './define';

export const LogSessionView = z.object({
  id: z.string(),
  startedAt: z.string().nullable(),
  kind: z.enum(['invitation', 'offer']).nullable(),
  role: z.enum(['requester', 'helper']).nullable(),
  peerName: z.string().nullable(),
  peerAddress: z.string().nullable(),
  durationMs: z.number().nullable(),
  outcome: z.string(),
  eventCount: z.number(),
  problem: z.string().nullable(),
});
export type LogSessionView = z.infer<typeof LogSessionView>;

export const LogEventView = z.object({ seq: z.number(), time: z.string(), type: z.string(), fields: z.record(z.string(), z.unknown()) });
export type LogEventView = z.infer<typeof LogEventView>;

export const logsMethods = {
  'logs.list': method(z.object({}).strict(), z.object({ sessions: z.array(LogSessionView), folder: z.string() })),
  /** A page of one session's events (large logs are read a page at a time). */
  'logs.read': method(
    z
      .object({
        id: z.string().min(1).max(64),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        types: z.array(z.string().max(64)).max(64).optional(),
        search: z.string().max(200).optional(),
      })
      .strict(),
    z.object({ events: z.array(LogEventView), total: z.number(), offset: z.number(), truncatedTail: z.boolean() }),
  ),
  'logs.export': method(z.object({ id: z.string().min(1).max(64), format: z.enum(['json', 'xml']) }).strict(), z.object({ fileName: z.string(), text: z.string() })),
  'logs.verify': method(z.object({ id: z.string().min(1).max(64) }).strict(), z.object({ ok: z.boolean(), message: z.string() })),
  /** Opens the logs folder in the file manager (Electron); the browser host returns its path. */
  'logs.openFolder': method(z.object({}).strict(), z.object({ path: z.string(), opened: z.boolean() })),
} as const;
