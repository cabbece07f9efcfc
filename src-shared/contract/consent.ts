import { z } from 'zod';
import { method } from './define';

/**
 * A question main asks the local user (show the screen? share control? accept a file?). Main
 * collects the answer and enforces it; the page only displays the prompt.
 */
export const ConsentPromptView = z.object({
  promptId: z.string(),
  kind: z.enum(['view', 'control', 'file']),
  title: z.string(),
  message: z.string(),
  /** Extra lines: how they connected, the administrator's warning, the scam warning. */
  details: z.array(z.string()),
  yesLabel: z.string(),
  noLabel: z.string(),
  /** When the prompt times out and counts as No (epoch ms). */
  expiresAt: z.number(),
  /** For file offers: a folder the user may change (Save as). */
  folder: z.string().nullable(),
});
export type ConsentPromptView = z.infer<typeof ConsentPromptView>;

export const consentMethods = {
  /** The prompt waiting for an answer, if any (after a page reload). */
  'consent.get': method(z.object({}).strict(), z.object({ prompt: ConsentPromptView.nullable() })),
  'consent.answer': method(
    z.object({ promptId: z.string().max(64), answer: z.enum(['yes', 'no']), folder: z.string().max(4096).optional() }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
} as const;

export const consentEvents = {
  'consent.ask': z.object({ prompt: ConsentPromptView }),
  'consent.closed': z.object({ promptId: z.string(), answer: z.enum(['yes', 'no', 'timeout', 'cancelled']) }),
} as const;
