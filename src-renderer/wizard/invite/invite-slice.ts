import type { InvitationView } from '../../../src-shared/contract/index';
import { errorText, type Slice } from '../../store/app-store';

export interface InviteSlice {
  invitation: InvitationView | null;
  /** The text of the last created file, for the browser's download. */
  invitationFile: { name: string; text: string } | null;
  /** The password chosen for the open invitation, shown so the requester can read it out. */
  invitationPassword: string | null;
  /** The Easy Connect code of the open invitation (it holds the password), shown to read out. */
  invitationCode: string | null;
  inviteBusy: boolean;
  inviteError: string | null;
  inviteNotice: string | null;
  initInvite(): Promise<void>;
  suggestPassword(): Promise<string>;
  /** A file invitation with `password`, or, with `easyConnect`, a code (main makes its password). */
  createInvitation(req: { password: string; lifetimeMinutes: number; compatibility: boolean } | { easyConnect: true; lifetimeMinutes: number }): Promise<void>;
  cancelInvitation(): Promise<void>;
}

export const createInviteSlice: Slice<InviteSlice> = (set, get) => ({
  invitation: null,
  invitationFile: null,
  invitationPassword: null,
  invitationCode: null,
  inviteBusy: false,
  inviteError: null,
  inviteNotice: null,
  async initInvite() {
    const { client } = get();
    client.on('invitation.state', ({ invitation }) => set({ invitation }));
    const { invitation } = await client.invoke('invitation.get', {});
    set({ invitation });
  },
  async suggestPassword() {
    const { password } = await get().client.invoke('invitation.suggestPassword', {});
    return password;
  },
  async createInvitation(req) {
    set({ inviteBusy: true, inviteError: null, inviteNotice: null });
    try {
      const r = await get().client.invoke('invitation.create', req);
      const easy = 'easyConnect' in req;
      set({
        invitation: r.invitation,
        invitationFile: easy ? null : { name: r.invitation.fileName, text: r.fileText },
        invitationPassword: easy ? null : req.password,
        invitationCode: r.easyConnectCode ?? null,
        inviteNotice: r.lifetimeCapped ? 'The invitation lasts as long as your settings allow, which is shorter than you asked.' : null,
      });
    } catch (e) {
      set({ inviteError: errorText(e) });
    } finally {
      set({ inviteBusy: false });
    }
  },
  async cancelInvitation() {
    try {
      await get().client.invoke('invitation.cancel', {});
      set({ invitationFile: null, invitationPassword: null, invitationCode: null });
    } catch (e) {
      set({ inviteError: errorText(e) });
    }
  },
});
