import { AppError } from '../../../src-shared/contract/errors';
import path from 'node:path';
import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import { DISABLED_REASON } from '../../files/incoming-transfer';
import type { Services } from '../services';

/** Electron gives main a way to pick files; the browser host uploads them instead. */
export type PickFiles = () => Promise<string[]>;

/** `files.*`: sending, cancelling and listing transfers of the running session. */
export function filesHandlers(s: Services, pickFiles: PickFiles | null, stagingDir: string | null): Pick<Handlers, 'files.send' | 'files.pickAndSend' | 'files.cancel' | 'files.list'> {
  const files = () => {
    const f = s.sessions.files();
    if (!f || !s.sessions.busy) throw new AppError('conflict', 'Files can be sent only during a session.');
    return f;
  };
  return {
    // The page may only name files it uploaded: a page (or a compromised renderer) must never be
    // able to make main send an arbitrary file from this computer to the peer.
    'files.send': ({ paths }) => {
      const inside = (p: string) => !!stagingDir && path.resolve(p).startsWith(path.resolve(stagingDir) + path.sep);
      const outside = paths.find((p) => !inside(p));
      if (outside !== undefined) throw new AppError('refused', 'Only files you picked for sending can be sent. Use the Send files button.');
      return { transferIds: files().send(paths) };
    },
    'files.pickAndSend': async () => {
      if (!pickFiles) throw new AppError('unavailable', 'Choose files with the Send files button (uploading them to Remote Assist).');
      const paths = await pickFiles();
      return { transferIds: paths.length ? files().send(paths) : [] };
    },
    'files.cancel': ({ transferId }) => ({ cancelled: s.sessions.files()?.cancel(transferId) ?? false }),
    'files.list': () => {
      const enabled = s.policy.value('allowFileTransfer');
      return { transfers: s.sessions.files()?.list() ?? [], enabled, disabledReason: enabled ? null : DISABLED_REASON };
    },
  };
}
