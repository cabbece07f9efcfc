import { AppError, type ErrorCode, type OpenedInvitation } from '../../../src-shared/contract/index';
import { errorText, type Slice } from '../../store/app-store';

export type ConnectPhase = 'idle' | 'connecting' | 'connected';

export interface HelpSlice {
  opened: OpenedInvitation | null;
  openError: string | null;
  connectPhase: ConnectPhase;
  connectError: { code: ErrorCode | 'unknown'; message: string; attemptsLeft?: number } | null;
  initHelp(): Promise<void>;
  openInvitationFile(file: { name: string; content: string } | { path: string }): Promise<void>;
  connectWithPassword(password: string): Promise<void>;
  /** Connects with an Easy Connect code typed in (no file needed). */
  connectWithCode(code: string): Promise<void>;
  resetHelp(): void;
}

export const createHelpSlice: Slice<HelpSlice> = (set, get) => ({
  opened: null,
  openError: null,
  connectPhase: 'idle',
  connectError: null,
  async initHelp() {
    const file = get().info?.startupFile;
    if (file) await get().openInvitationFile({ path: file });
  },
  async openInvitationFile(file) {
    set({ openError: null, opened: null, connectError: null });
    try {
      const opened = await get().client.invoke('invitation.open', file);
      set({ opened });
    } catch (e) {
      set({ openError: errorText(e) });
    }
  },
  async connectWithPassword(password) {
    await connectVia(set, () => get().client.invoke('invitation.connect', { password }));
  },
  async connectWithCode(code) {
    await connectVia(set, () => get().client.invoke('invitation.connectCode', { code }));
  },
  resetHelp() {
    set({ opened: null, openError: null, connectPhase: 'idle', connectError: null });
  },
});

/** Runs a connect call with the phase and error bookkeeping both ways of connecting share. */
async function connectVia(set: Parameters<Slice<HelpSlice>>[0], call: () => Promise<unknown>): Promise<void> {
  set({ connectPhase: 'connecting', connectError: null });
  try {
    await call();
    set({ connectPhase: 'connected' });
  } catch (e) {
    const attemptsLeft = e instanceof AppError && typeof e.details?.attemptsLeft === 'number' ? e.details.attemptsLeft : undefined;
    set({ connectPhase: 'idle', connectError: { code: e instanceof AppError ? e.code : 'unknown', message: errorText(e), ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) } });
  }
}
