// Test support: two real encrypted links over TCP on loopback, and a file service on each end.
import { startInvitationListener } from '../../link/invitation-listener';
import { connectToInvitation } from '../../link/invitation-connector';
import { silentLog } from '../../link/link-options';
import type { PeerLink } from '../../link/link-types';
import { CHANNEL_SCHEMAS } from '../../app/channel-schemas';
import { FileTransferService } from '../file-transfer-service';
import type { FileAuditEvent } from '../transfer-types';
import { createMemoryLogger } from '../../platform/app-logger';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_INVITATION_ID = 'files-over-link-test-0001';

/** Starts a requester-side listener; resolves the link once a helper connects. */
export async function listen(): Promise<{ port: number; linked: Promise<PeerLink>; close(): Promise<void> }> {
  const listener = await startInvitationListener({
    invitationId: TEST_INVITATION_ID,
    password: TEST_PASSWORD,
    requesterName: 'Rita',
    expiresAt: Date.now() + 600_000,
    channelSchemas: CHANNEL_SCHEMAS,
    logger: silentLog,
    host: '127.0.0.1',
  });
  const linked = new Promise<PeerLink>((resolve) => listener.on('linked', ({ link }) => resolve(link)));
  return { port: listener.port, linked, close: () => listener.close() };
}

/** Connects as the helper to a listener on this machine. */
export async function connect(port: number): Promise<PeerLink> {
  const r = await connectToInvitation({
    candidates: [{ host: '127.0.0.1', port }],
    invitationId: TEST_INVITATION_ID,
    password: TEST_PASSWORD,
    helperName: 'Helen',
    channelSchemas: CHANNEL_SCHEMAS,
    logger: silentLog,
  });
  return r.link;
}

/** A file service that accepts everything into `folder`, recording its audit events. */
export function autoAcceptFiles(link: PeerLink, side: 'requester' | 'helper', folder: string, audit: FileAuditEvent[] = []): FileTransferService {
  return new FileTransferService({
    link,
    side,
    peerName: link.peerName,
    askAccept: async () => ({ accept: true, folder }),
    limits: { enabled: true, maxFileBytes: 1 << 30 },
    logger: createMemoryLogger(),
    audit: (e) => audit.push(e),
    downloadsDir: folder,
  });
}
