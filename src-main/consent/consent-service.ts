import crypto from 'node:crypto';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from './consent-port';

/**
 * Asks the local user one question at a time: prompts never stack. Later questions wait in order;
 * a question withdrawn while waiting (the session ended) is never shown.
 */
export class ConsentService {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly withdrawn = new Set<string>();
  private showing: string | null = null;
  private pendingCount = 0;
  private readonly showingListeners = new Set<(showing: boolean) => void>();

  constructor(private readonly prompt: ConsentPrompt) {}

  /** True while a question is shown or waiting. */
  get busy(): boolean {
    return this.pendingCount > 0;
  }

  /** Hears when a question appears (true) and when it is gone (false). Returns the unsubscribe. */
  onShowing(listener: (showing: boolean) => void): () => void {
    this.showingListeners.add(listener);
    if (this.showing) listener(true);
    return () => this.showingListeners.delete(listener);
  }

  /**
   * Queues a question; resolves with the answer. Returns the prompt id at once through
   * `onId`, so the caller can withdraw it.
   */
  ask(question: ConsentQuestion, onId?: (id: string) => void): Promise<ConsentAnswer> {
    const id = crypto.randomBytes(12).toString('base64url');
    onId?.(id);
    this.pendingCount++;
    const run = async (): Promise<ConsentAnswer> => {
      if (this.withdrawn.delete(id)) return { answer: 'cancelled' };
      this.showing = id;
      this.tell(true);
      try {
        return await this.prompt.ask(id, question);
      } finally {
        this.showing = null;
        this.tell(false);
      }
    };
    const result = this.chain.then(run, run).finally(() => this.pendingCount--);
    this.chain = result.catch(() => {});
    return result;
  }

  /** Withdraws a question: closes it if shown, skips it if still waiting. */
  withdraw(id: string): void {
    if (this.showing === id) this.prompt.cancel(id);
    else this.withdrawn.add(id);
  }

  private tell(showing: boolean): void {
    for (const l of [...this.showingListeners]) {
      try {
        l(showing);
      } catch {
        // A listener's failure must not change the answer.
      }
    }
  }
}
