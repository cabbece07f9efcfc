import { AppError } from '../../src-shared/contract/errors';

/** A screen the requester can share. */
export interface ScreenInfo {
  id: string;
  name: string;
}

/**
 * The `ScreenSource` port (DESIGN.md section 7): which screens exist and which one capture uses.
 * Electron lists them with desktopCapturer and main answers getDisplayMedia with the chosen one;
 * in the browser host the browser's own picker chooses, so the list is empty.
 */
export interface ScreenSource {
  readonly pickedByBrowser: boolean;
  list(): Promise<ScreenInfo[]>;
  chosen(): string | null;
  choose(id: string): Promise<void>;
}

/** The browser host's source: Chromium's picker decides, main has nothing to choose. */
export const browserPickedScreens: ScreenSource = {
  pickedByBrowser: true,
  list: async () => [],
  chosen: () => null,
  choose: async () => {
    throw new AppError('unavailable', 'Choose the screen in the browser\'s sharing dialog ("Share a different screen").');
  },
};

/** A source backed by a list function (Electron's desktopCapturer); remembers the choice. */
export function listedScreens(list: () => Promise<ScreenInfo[]>): ScreenSource {
  let chosen: string | null = null;
  return {
    pickedByBrowser: false,
    list,
    chosen: () => chosen,
    async choose(id) {
      if (!(await list()).some((s) => s.id === id)) throw new AppError('not-found', 'That screen is no longer available. Pick another one.');
      chosen = id;
    },
  };
}
