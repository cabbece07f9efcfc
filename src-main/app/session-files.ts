import fs from 'node:fs/promises';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import type { ConsentService } from '../consent/consent-service';
import { FileTransferService } from '../files/file-transfer-service';
import type { PeerLink } from '../link/link-types';
import type { PolicyService } from '../policy/policy-service';
import type { AppLogger } from '../platform/app-logger';
import type { AuditSink } from '../session/session-ports';
import { formatBytes } from '../files/display-text';
import type { AuditEvent } from '../audit/audit-events';

export interface SessionFilesOptions {
  link: PeerLink;
  side: 'requester' | 'helper';
  audit: AuditSink;
  policy: PolicyService;
  consent: ConsentService;
  hub: EventHub;
  logger: AppLogger;
  downloadsDir: string;
}

/** The session's file transfers, with limits from policy, prompts through main's consent service. */
export function createSessionFiles(o: SessionFilesOptions): FileTransferService {
  const limits = () => ({ enabled: o.policy.value('allowFileTransfer'), maxFileBytes: o.policy.value('maxFileSizeMB') * 1024 * 1024 });
  const files = new FileTransferService({
    link: o.link,
    side: o.side,
    peerName: o.link.peerName,
    limits: limits(),
    logger: o.logger,
    downloadsDir: o.downloadsDir,
    askAccept: async (offer) => {
      let promptId: string | null = null;
      const withdraw = () => promptId && o.consent.withdraw(promptId);
      offer.signal.addEventListener('abort', withdraw, { once: true });
      const a = await o.consent.ask(
        {
          kind: 'file',
          title: `${offer.peerName} wants to send you a file`,
          message: `${offer.peerName} wants to send you ${offer.name} (${formatBytes(offer.size)}). Accept?`,
          details: ['Only accept files you expect. Files can harm your computer.'],
          yesLabel: 'Accept',
          noLabel: 'Decline',
          folder: o.downloadsDir,
          timeoutMs: 120_000,
        },
        (id) => (promptId = id),
      );
      offer.signal.removeEventListener('abort', withdraw);
      if (a.answer !== 'yes') return { accept: false };
      const folder = a.folder || o.downloadsDir;
      // The default folder may not exist yet on a fresh profile; a folder the user typed must.
      if (folder === o.downloadsDir) await fs.mkdir(folder, { recursive: true }).catch(() => {});
      return { accept: true, folder };
    },
    // The log knows the peer already (setPeer); the rest of the event is recorded as is.
    audit: ({ peerName: _peer, ...event }) => o.audit(event as AuditEvent),
  });
  const offPolicy = o.policy.onChange(() => files.setLimits(limits()));
  o.link.onClose(() => offPolicy());
  files.onProgress((p) => o.hub.emit('files.progress', { transfer: p }));
  return files;
}
