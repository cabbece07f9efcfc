import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../src-shared/contract/errors';
import type { OpenedInvitation } from '../../src-shared/contract/index';
import { normalizePassword } from '../../src-shared/invitation/password-rules';
import type { AuditLogService } from '../audit/audit-log';
import { auditSinkFor } from '../audit/session-audit';
import { connectToInvitation } from '../link/invitation-connector';
import type { ChannelSchemas } from '../link/link-options';
import type { PolicyService } from '../policy/policy-service';
import type { AppLogger } from '../platform/app-logger';
import type { SessionService } from '../session/session-service';
import { MAX_TICKET_FILE_BYTES } from './ticket-limits';
import { openTicket } from './ticket-codec';
import { parseTicketFile } from './ticket-parse';
import type { Ticket } from './ticket-schema';

export interface HelperConnectDeps {
  policy: PolicyService;
  audit: AuditLogService;
  sessions: SessionService;
  logger: AppLogger;
  userName: string;
  channelSchemas: ChannelSchemas;
}

/**
 * The helper's side of an invitation: reads the file, then connects with the password. The file is
 * checked first (format, expiry, the password against the sealed part), so most mistakes are
 * caught here without spending one of the requester's password attempts.
 */
export class HelperConnectService {
  private opened: { ticket: Ticket; fileName: string } | null = null;
  private connecting = false;

  constructor(private readonly d: HelperConnectDeps) {}

  async open(req: { path: string } | { name: string; content: string }): Promise<OpenedInvitation> {
    let text: string | Uint8Array;
    let fileName: string;
    if ('path' in req) {
      fileName = path.basename(req.path);
      text = await readLimited(req.path);
    } else {
      fileName = req.name;
      if (req.content.length === 0) throw new AppError('invalid-input', `${fileName} is empty or too large to be an invitation.`);
      text = req.content;
    }
    const ticket = parseTicketFile(text);
    this.opened = { ticket, fileName };
    return {
      fileName,
      requesterUser: ticket.requester.userName,
      requesterComputer: ticket.requester.computerName,
      createdAt: ticket.createdAt,
      expiresAt: ticket.expiresAt,
      expired: Date.now() >= Date.parse(ticket.expiresAt),
      allowControl: ticket.allowControl,
      mode: ticket.mode,
    };
  }

  async connect(rawPassword: string): Promise<void> {
    const opened = this.opened;
    if (!opened) throw new AppError('not-found', 'Open an invitation file first.');
    if (this.connecting) throw new AppError('conflict', 'Already connecting.');
    if (this.d.sessions.busy) throw new AppError('conflict', 'A session is already running. End it before connecting to another.');
    this.connecting = true;
    try {
      const password = normalizePassword(rawPassword);
      const { candidates } = await openTicket(opened.ticket, password);
      const log = await this.d.audit.openSession({ kind: 'invitation', role: 'helper', required: this.d.policy.value('loggingRequired'), peerName: opened.ticket.requester.userName });
      const audit = auditSinkFor(log, this.d.logger);
      audit({ type: 'connection.attempt', peerAddress: candidates.map((c) => `${c.host}:${c.port}`).join(', ') });
      try {
        const { link, requesterName, peerAddress } = await connectToInvitation({
          candidates,
          invitationId: opened.ticket.id,
          password,
          helperName: this.d.userName,
          requesterName: opened.ticket.requester.userName,
          channelSchemas: this.d.channelSchemas,
          logger: (level, message, fields) => this.d.logger.log(level === 'debug' ? 'debug' : level, message, fields),
        });
        log.setPeer(requesterName, peerAddress);
        this.d.sessions.attachHelper({ link, kind: 'invitation', audit, onEnded: () => log.close() });
      } catch (e) {
        if (isAppError(e, 'wrong-password')) audit({ type: 'password.failed', peerAddress: 'requester', attemptsLeft: Number(e.details?.attemptsLeft ?? 0) });
        else audit({ type: 'handshake.failed', reason: (e as Error).message });
        log.close();
        throw e;
      }
    } finally {
      this.connecting = false;
    }
  }
}

/** Reads at most one byte more than an invitation may have, so /dev/zero or a huge file is refused fast. */
async function readLimited(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
    const buf = Buffer.alloc(MAX_TICKET_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'not-found' : 'io', code === 'ENOENT' ? `There is no file at ${file}.` : `${file} could not be read (${code ?? (e as Error).message}).`);
  } finally {
    await handle?.close();
  }
}
