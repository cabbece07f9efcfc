import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import type { PageConsentPrompt } from '../../consent/page-consent-prompt';
import type { Services } from '../services';
import type { ScreenSource } from '../../platform/screen-source';

const ok = { ok: true as const };

/** `session.*`, `consent.*` and `chat.*`: the running session as the page drives it. */
export function sessionHandlers(
  s: Services,
  pagePrompt: PageConsentPrompt | null,
  screens: ScreenSource,
): Pick<
  Handlers,
  | 'session.get'
  | 'session.requestControl'
  | 'session.stopControl'
  | 'session.escape'
  | 'session.pause'
  | 'session.end'
  | 'session.dismiss'
  | 'session.signal'
  | 'session.input'
  | 'session.screens'
  | 'session.chooseScreen'
  | 'consent.get'
  | 'consent.answer'
  | 'chat.send'
  | 'chat.history'
> {
  const { sessions } = s;
  return {
    'session.get': () => ({ session: sessions.view() }),
    'session.requestControl': () => {
      sessions.helper().requestControl();
      return ok;
    },
    'session.stopControl': () => {
      // The requester takes control back; the helper gives it back. Same button, two meanings.
      if (sessions.view()?.role === 'requester') sessions.requester().stopControl('button');
      else sessions.helper().releaseControl();
      return ok;
    },
    'session.escape': () => ({ revoked: sessions.view()?.role === 'requester' ? sessions.requester().escape() : false }),
    'session.pause': ({ paused }) => {
      sessions.requester().pause(paused);
      return ok;
    },
    'session.end': () => {
      sessions.end();
      return ok;
    },
    'session.dismiss': () => {
      sessions.dismiss();
      return ok;
    },
    'session.signal': ({ data }) => {
      sessions.signal(data);
      return ok;
    },
    'session.input': ({ events }) => {
      sessions.helper().input(events);
      return ok;
    },
    'session.screens': async () => ({ screens: await screens.list(), chosen: screens.chosen(), pickedByBrowser: screens.pickedByBrowser }),
    'session.chooseScreen': async ({ id }) => {
      await screens.choose(id);
      return ok;
    },
    'consent.get': () => ({ prompt: pagePrompt?.current() ?? null }),
    'consent.answer': ({ promptId, answer, folder }) => {
      if (!pagePrompt) return ok;
      pagePrompt.answer(promptId, answer, folder);
      return ok;
    },
    'chat.send': ({ text }) => ({ entry: sessions.chat().send(text) }),
    'chat.history': () => ({ entries: sessions.view() ? sessions.chat().history() : [] }),
  };
}
