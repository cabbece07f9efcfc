import { AppError, type ErrorCode, type HelperIdentityView, type RecentComputer } from '../../../src-shared/contract/index';
import { errorText, type Slice } from '../../store/app-store';

/** Where the offer wizard stands. Once connected, the session screen takes over. */
export type OfferPhase = 'idle' | 'connecting' | 'connected';

/** A failed offer as the wizard shows it; `reason` is main's `details.reason` (not-allowed, unreachable …). */
export interface OfferError {
  code: ErrorCode | 'unknown';
  reason: string | null;
  message: string;
}

export interface OfferSlice {
  offerHost: string;
  /** The port field as typed ('' = the default offer port). */
  offerPort: string;
  offerPhase: OfferPhase;
  offerError: OfferError | null;
  recentComputers: RecentComputer[];
  helperId: HelperIdentityView | null;
  helperIdError: string | null;
  /** "Copied", "Saved" … after a helper-ID action. */
  helperIdNotice: string | null;
  /** Loads the helper ID and the recent computers (the wizard calls it when it opens). */
  loadOffer(): Promise<void>;
  /** Fills in the computer (a recent one, or a launch's `--offer HOST`). */
  setOfferHost(host: string, port?: number | null): void;
  setOfferPort(port: string): void;
  offerHelp(): Promise<void>;
  copyHelperId(): Promise<void>;
  /** Asks main for the helper ID file; the caller offers it as a download. */
  exportHelperId(): Promise<{ fileName: string; text: string } | null>;
}

export const createOfferSlice: Slice<OfferSlice> = (set, get) => ({
  offerHost: '',
  offerPort: '',
  offerPhase: 'idle',
  offerError: null,
  recentComputers: [],
  helperId: null,
  helperIdError: null,
  helperIdNotice: null,
  async loadOffer() {
    const { client } = get();
    // Back from a session (or a declined one): start over, keeping what was typed.
    if (get().offerPhase === 'connected' && !get().session) set({ offerPhase: 'idle' });
    const [id, recent] = await Promise.allSettled([client.invoke('identity.get', {}), client.invoke('offer.recent', {})]);
    if (id.status === 'fulfilled') set({ helperId: id.value, helperIdError: null });
    else set({ helperIdError: errorText(id.reason) });
    if (recent.status === 'fulfilled') set({ recentComputers: recent.value.computers });
  },
  setOfferHost(host, port) {
    set({ offerHost: host, offerError: null, ...(port !== undefined ? { offerPort: port === null ? '' : String(port) } : {}) });
  },
  setOfferPort(port) {
    set({ offerPort: port.replace(/[^0-9]/g, '').slice(0, 5), offerError: null });
  },
  async offerHelp() {
    const host = get().offerHost.trim();
    if (!host || get().offerPhase === 'connecting') return;
    const portText = get().offerPort;
    set({ offerPhase: 'connecting', offerError: null });
    try {
      await get().client.invoke('offer.connect', { host, ...(portText ? { port: Number(portText) } : {}) });
      set({ offerPhase: 'connected' });
      const { computers } = await get().client.invoke('offer.recent', {});
      set({ recentComputers: computers });
    } catch (e) {
      const reason = e instanceof AppError && typeof e.details?.reason === 'string' ? e.details.reason : null;
      set({ offerPhase: 'idle', offerError: { code: e instanceof AppError ? e.code : 'unknown', reason, message: errorText(e) } });
      void get()
        .client.invoke('offer.recent', {})
        .then(({ computers }) => set({ recentComputers: computers }))
        .catch(() => {});
    }
  },
  async copyHelperId() {
    const id = get().helperId;
    if (!id) return;
    try {
      await navigator.clipboard.writeText(id.fingerprint);
      set({ helperIdNotice: 'Your helper ID was copied. Paste it into a message to your administrator.' });
    } catch {
      set({ helperIdNotice: 'Copying is not allowed here: select the helper ID above and copy it with Ctrl+C.' });
    }
  },
  async exportHelperId() {
    try {
      const r = await get().client.invoke('identity.export', {});
      set({ helperIdNotice: `Saved as ${r.fileName}: send this file to your administrator.`, helperIdError: null });
      return { fileName: r.fileName, text: r.text };
    } catch (e) {
      set({ helperIdError: errorText(e) });
      return null;
    }
  },
});
