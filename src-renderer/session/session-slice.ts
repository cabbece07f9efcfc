import type { ChatEntry, ConsentPromptView, SessionView } from '../../src-shared/contract/index';
import { errorText, type Slice } from '../store/app-store';
import { INITIAL_MEDIA, MediaController, type MediaState } from './media/media-controller';

export interface SessionSlice {
  session: SessionView | null;
  prompt: ConsentPromptView | null;
  chat: ChatEntry[];
  /** Chat messages from the peer not yet seen (the panel was closed). */
  unread: number;
  chatOpen: boolean;
  media: MediaState;
  sessionError: string | null;
  initSession(): Promise<void>;
  answerPrompt(answer: 'yes' | 'no', folder?: string): Promise<void>;
  requestControl(): Promise<void>;
  stopControl(): Promise<void>;
  pressEscape(): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  endSession(): Promise<void>;
  /** Leaves the ended session for `next` (the start screen unless told). */
  dismissSession(next?: 'home' | 'logs'): Promise<void>;
  sendChat(text: string): Promise<boolean>;
  setChatOpen(open: boolean): void;
  switchScreen(): Promise<void>;
  screens: { list: { id: string; name: string }[]; chosen: string | null; pickedByBrowser: boolean };
  loadScreens(): Promise<void>;
  chooseScreen(id: string): Promise<void>;
  sendInput(events: unknown[]): void;
}

export const createSessionSlice: Slice<SessionSlice> = (set, get) => {
  let media: MediaController | null = null;
  const call = async (fn: () => Promise<unknown>) => {
    try {
      set({ sessionError: null });
      await fn();
    } catch (e) {
      set({ sessionError: errorText(e) });
    }
  };
  const applySession = (session: SessionView | null) => {
    const prev = get().session;
    set({ session });
    if (session && (!prev || prev.sessionId !== session.sessionId) && session.state !== 'ended') {
      set({ route: 'session', chat: [], unread: 0, transfers: [], uploads: [] });
    }
    media?.sync(session);
  };
  return {
    session: null,
    prompt: null,
    chat: [],
    unread: 0,
    chatOpen: true,
    media: INITIAL_MEDIA,
    sessionError: null,
    async initSession() {
      const { client } = get();
      media = new MediaController(client, (patch) => set({ media: { ...get().media, ...patch } }));
      client.on('session.state', ({ session }) => applySession(session));
      client.on('consent.ask', ({ prompt }) => set({ prompt }));
      client.on('consent.closed', ({ promptId }) => get().prompt?.promptId === promptId && set({ prompt: null }));
      client.on('chat.message', ({ entry }) => set((s) => ({ chat: [...s.chat, entry], unread: entry.from === 'peer' && !s.chatOpen ? s.unread + 1 : s.unread })));
      const [{ session }, { prompt }] = await Promise.all([client.invoke('session.get', {}), client.invoke('consent.get', {})]);
      set({ prompt });
      applySession(session);
      if (session) {
        const { entries } = await client.invoke('chat.history', {});
        set({ chat: entries });
      }
    },
    async answerPrompt(answer, folder) {
      const p = get().prompt;
      if (!p) return;
      set({ prompt: null });
      await call(() => get().client.invoke('consent.answer', { promptId: p.promptId, answer, ...(folder ? { folder } : {}) }));
    },
    requestControl: () => call(() => get().client.invoke('session.requestControl', {})),
    stopControl: () => call(() => get().client.invoke('session.stopControl', {})),
    pressEscape: () => call(() => get().client.invoke('session.escape', {})),
    setPaused: (paused) => call(() => get().client.invoke('session.pause', { paused })),
    endSession: () => call(() => get().client.invoke('session.end', {})),
    async dismissSession(next = 'home') {
      await call(() => get().client.invoke('session.dismiss', {}));
      // Start over cleanly: the used invitation (either side) is of no further use.
      get().resetHelp();
      set({ session: null, route: next, chat: [], unread: 0, invitationFile: null, invitationPassword: null });
    },
    async sendChat(text) {
      try {
        await get().client.invoke('chat.send', { text });
        return true;
      } catch (e) {
        set({ sessionError: errorText(e) });
        return false;
      }
    },
    setChatOpen(open) {
      set({ chatOpen: open, ...(open ? { unread: 0 } : {}) });
    },
    switchScreen: () => call(async () => media?.switchSource()),
    screens: { list: [], chosen: null, pickedByBrowser: true },
    loadScreens: () =>
      call(async () => {
        const r = await get().client.invoke('session.screens', {});
        set({ screens: { list: r.screens, chosen: r.chosen, pickedByBrowser: r.pickedByBrowser } });
      }),
    chooseScreen: (id) =>
      call(async () => {
        await get().client.invoke('session.chooseScreen', { id });
        set((s) => ({ screens: { ...s.screens, chosen: id } }));
        // Main now answers the next capture request with this screen.
        await media?.switchSource();
      }),
    sendInput(events) {
      void get().client.invoke('session.input', { events }).catch(() => {});
    },
  };
};
