import type { EmailResult } from '../../../src-shared/contract/index';
import { errorText, type Slice } from '../../store/app-store';

export interface EmailSlice {
  emailBusy: boolean;
  /** What the last "Send by e-mail" did, for the invitation it was for. */
  emailResult: (EmailResult & { invitationId: string }) | null;
  emailError: string | null;
  /** Main saves the file if needed and opens the user's mail program; the password is never in the mail. */
  emailInvitation(): Promise<void>;
}

export const createEmailSlice: Slice<EmailSlice> = (set, get) => ({
  emailBusy: false,
  emailResult: null,
  emailError: null,
  async emailInvitation() {
    const invitationId = get().invitation?.invitationId;
    if (!invitationId) return;
    set({ emailBusy: true, emailError: null, emailResult: null });
    try {
      const r = await get().client.invoke('invitation.email', {});
      set({ emailResult: { ...r, invitationId } });
    } catch (e) {
      set({ emailError: errorText(e) });
    } finally {
      set({ emailBusy: false });
    }
  },
});
