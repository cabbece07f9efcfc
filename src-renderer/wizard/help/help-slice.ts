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
    set({ connectPhase: 'connecting', connectError: null });
    try {
      await get().client.invoke('invitation.connect', { password });
      set({ connectPhase: 'connected' });
    } catch (e) {
      const attemptsLeft = e instanceof AppError && typeof e.details?.attemptsLeft === 'number' ? e.details.attemptsLeft : undefined;
      set({ connectPhase: 'idle', connectError: { code: e instanceof AppError ? e.code : 'unknown', message: errorText(e), ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) } });
    }
  },
  resetHelp() {
    set({ opened: null, openError: null, connectPhase: 'idle', connectError: null });
  },
});
