import type { AppOpen } from '../../src-shared/contract/index';
import type { Slice } from '../store/app-store';

export interface LaunchSlice {
  /** The last wizard main asked for (launch, file, link, second launch); the offer wizard reads `host`. */
  launch: AppOpen | null;
  initLaunch(): void;
  /** Follows a request from main: opens the wizard, and loads the invitation file into the help wizard. */
  followLaunch(open: AppOpen): Promise<void>;
}

export const createLaunchSlice: Slice<LaunchSlice> = (set, get) => ({
  launch: null,
  initLaunch() {
    const { client, info } = get();
    set({ launch: info?.startup ?? null });
    client.on('app.open', (open) => void get().followLaunch(open));
  },
  async followLaunch(open) {
    // Main refuses hand-offs during a session; this guards the page too (never leave a live session).
    const s = get().session;
    if (s && s.state !== 'ended') return;
    set({ launch: open, route: open.route });
    if (open.route === 'help' && open.file) await get().openInvitationFile({ path: open.file });
  },
});
