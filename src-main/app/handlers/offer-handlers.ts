import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import type { Services } from '../services';

/** `offer.*` and `identity.*`: offering help (helper), the offer listener's status (requester), the helper ID. */
export function offerHandlers(s: Services): Pick<Handlers, 'offer.connect' | 'offer.recent' | 'offer.listenerStatus' | 'identity.get' | 'identity.export'> {
  return {
    'offer.connect': ({ host, port }) => s.offers.offer(host, port),
    'offer.recent': () => ({ computers: s.offers.recent() }),
    'offer.listenerStatus': () => s.offers.listenerStatus(),
    'identity.get': () => s.offers.identity(),
    'identity.export': ({ savePath }) => s.offers.exportIdentity(savePath),
  };
}
