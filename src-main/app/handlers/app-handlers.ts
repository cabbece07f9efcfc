import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import type { AppInfo } from '../../../src-shared/contract/index';

/** `app.*`: facts about this instance (including the wizard it was launched into) and a ping for the status bar. */
export function appHandlers(info: () => AppInfo): Pick<Handlers, 'app.info' | 'app.ping'> {
  return {
    'app.info': () => info(),
    'app.ping': ({ nonce }) => ({ nonce, at: Date.now() }),
  };
}
