import { z } from 'zod';
import { method } from './define';

/** One transfer as both sides' progress bars show it. */
export const TransferView = z.object({
  transferId: z.string(),
  direction: z.enum(['send', 'receive']),
  name: z.string(),
  size: z.number(),
  bytesDone: z.number(),
  bytesPerSecond: z.number(),
  secondsLeft: z.number().nullable(),
  state: z.enum(['waiting', 'transferring', 'verifying', 'completed', 'declined', 'cancelled', 'failed']),
  reason: z.string().optional(),
  savedAs: z.string().optional(),
  sha256: z.string().optional(),
});
export type TransferView = z.infer<typeof TransferView>;

export const filesMethods = {
  /** Sends files (paths main can read: from the Electron dialog, or uploaded to the browser host). */
  'files.send': method(z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100) }).strict(), z.object({ transferIds: z.array(z.string()) })),
  /** Electron: opens the native file dialog in main and sends what the user picks. */
  'files.pickAndSend': method(z.object({}).strict(), z.object({ transferIds: z.array(z.string()) })),
  'files.cancel': method(z.object({ transferId: z.string().max(64) }).strict(), z.object({ cancelled: z.boolean() })),
  'files.list': method(z.object({}).strict(), z.object({ transfers: z.array(TransferView), enabled: z.boolean(), disabledReason: z.string().nullable() })),
} as const;

export const filesEvents = {
  'files.progress': z.object({ transfer: TransferView }),
} as const;
