import type { ConsentPromptView } from '../../src-shared/contract/index';

/** What main asks the local user. The adapter shows it; main enforces the answer. */
export type ConsentQuestion = Omit<ConsentPromptView, 'promptId' | 'expiresAt'> & { timeoutMs: number };

export interface ConsentAnswer {
  answer: 'yes' | 'no' | 'timeout' | 'cancelled';
  /** For file offers: the folder the user chose (Save as). */
  folder?: string;
}

/**
 * The `ConsentPrompt` port (DESIGN.md section 7). Adapters: the page of the browser host (events
 * out, answers in through the contract), a native dialog in Electron, a scripted fake in tests.
 * A timeout counts as No; `cancel` withdraws a prompt whose question no longer applies.
 */
export interface ConsentPrompt {
  ask(promptId: string, question: ConsentQuestion): Promise<ConsentAnswer>;
  cancel(promptId: string): void;
}
