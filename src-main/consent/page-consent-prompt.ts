import type { ConsentPromptView } from '../../src-shared/contract/index';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { AppError } from '../../src-shared/contract/errors';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from './consent-port';

interface Open {
  view: ConsentPromptView;
  resolve(a: ConsentAnswer): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Shows prompts in the app's own page (the browser host; the Electron app uses native dialogs): main
 * publishes `consent.ask`, the page answers with `consent.answer`. Main keeps the prompt id and its
 * deadline, so a stale, unknown or repeated answer changes nothing, and silence counts as No.
 */
export class PageConsentPrompt implements ConsentPrompt {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly hub: EventHub,
    private readonly now: () => number = Date.now,
  ) {}

  ask(promptId: string, q: ConsentQuestion): Promise<ConsentAnswer> {
    const { timeoutMs, ...rest } = q;
    const view: ConsentPromptView = { ...rest, promptId, expiresAt: this.now() + timeoutMs };
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish(promptId, { answer: 'timeout' }), timeoutMs);
      this.open.set(promptId, { view, resolve, timer });
      this.hub.emit('consent.ask', { prompt: view });
    });
  }

  cancel(promptId: string): void {
    this.finish(promptId, { answer: 'cancelled' });
  }

  /** The prompt waiting for an answer (for a page that reloads). */
  current(): ConsentPromptView | null {
    return [...this.open.values()][0]?.view ?? null;
  }

  /** Called by the contract handler `consent.answer`. */
  answer(promptId: string, answer: 'yes' | 'no', folder?: string): void {
    if (!this.open.has(promptId)) throw new AppError('not-found', 'This question is no longer open (it was answered, withdrawn or timed out).');
    this.finish(promptId, folder !== undefined ? { answer, folder } : { answer });
  }

  private finish(promptId: string, a: ConsentAnswer): void {
    const o = this.open.get(promptId);
    if (!o) return;
    this.open.delete(promptId);
    clearTimeout(o.timer);
    this.hub.emit('consent.closed', { promptId, answer: a.answer });
    o.resolve(a);
  }
}
