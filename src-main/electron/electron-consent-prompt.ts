import { dialog, type BrowserWindow } from 'electron';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from '../consent/consent-port';

/**
 * Consent collected by main in a native dialog, which the page can neither draw nor answer (jitsi's
 * remote-control rule: the only consent a page cannot forge is one main collects). The window is
 * brought to the front and kept on top while asking. A timeout withdraws the dialog: No.
 */
export class ElectronConsentPrompt implements ConsentPrompt {
  private readonly open = new Map<string, AbortController>();

  constructor(private readonly window: () => BrowserWindow | null) {}

  async ask(promptId: string, q: ConsentQuestion): Promise<ConsentAnswer> {
    const abort = new AbortController();
    this.open.set(promptId, abort);
    const timer = setTimeout(() => abort.abort('timeout'), q.timeoutMs);
    const win = this.window();
    win?.show();
    win?.setAlwaysOnTop(true, 'modal-panel');
    try {
      const options = {
        type: 'question' as const,
        title: q.title,
        message: q.title,
        detail: [q.message, ...q.details].join('\n\n'),
        buttons: [q.noLabel, q.yesLabel],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
        signal: abort.signal,
      };
      const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      if (abort.signal.aborted) return { answer: abort.signal.reason === 'timeout' ? 'timeout' : 'cancelled' };
      if (r.response !== 1) return { answer: 'no' };
      if (q.kind === 'file' && q.folder !== null) {
        const pick = await dialog.showOpenDialog({ title: 'Save the file in…', defaultPath: q.folder, properties: ['openDirectory', 'createDirectory'] });
        return pick.canceled || !pick.filePaths[0] ? { answer: 'no' } : { answer: 'yes', folder: pick.filePaths[0] };
      }
      return { answer: 'yes' };
    } finally {
      clearTimeout(timer);
      this.open.delete(promptId);
      win?.setAlwaysOnTop(false);
    }
  }

  cancel(promptId: string): void {
    this.open.get(promptId)?.abort('cancelled');
  }
}
