import { z } from 'zod';
import { method } from './define';
import { MAX_CHAT_LENGTH } from '../protocol/control';

export const ChatEntry = z.object({ id: z.string(), from: z.enum(['local', 'peer']), name: z.string(), text: z.string(), at: z.number() });
export type ChatEntry = z.infer<typeof ChatEntry>;

export const chatMethods = {
  'chat.send': method(z.object({ text: z.string().min(1).max(MAX_CHAT_LENGTH) }).strict(), z.object({ entry: ChatEntry })),
  'chat.history': method(z.object({}).strict(), z.object({ entries: z.array(ChatEntry) })),
} as const;

export const chatEvents = {
  'chat.message': z.object({ entry: ChatEntry }),
} as const;
