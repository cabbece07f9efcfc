import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import { generatePassword } from '../../invitation/password';
import type { Services } from '../services';

/** `invitation.*`: the requester's invitations and the helper's opening of one. */
export function invitationHandlers(s: Services): Pick<Handlers, 'invitation.suggestPassword' | 'invitation.create' | 'invitation.get' | 'invitation.cancel' | 'invitation.open' | 'invitation.connect'> {
  return {
    'invitation.suggestPassword': () => ({ password: generatePassword() }),
    'invitation.create': (req) => s.invitations.create(req),
    'invitation.get': () => ({ invitation: s.invitations.view() }),
    'invitation.cancel': async () => {
      await s.invitations.cancel('user');
      return { ok: true as const };
    },
    'invitation.open': (req) => s.helper.open(req),
    'invitation.connect': async ({ password }) => {
      await s.helper.connect(password);
      return { ok: true as const };
    },
  };
}
