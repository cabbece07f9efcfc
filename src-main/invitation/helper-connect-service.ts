import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../src-shared/contract/errors';
import type { OpenedInvitation, SessionView } from '../../src-shared/contract/index';
import { normalizePassword } from '../../src-shared/invitation/password-rules';
import type { AuditLogService } from '../audit/audit-log';
import { auditSinkFor } from '../audit/session-audit';
import { connectToInvitationOver } from '../link/invitation-connector';
import { joinRelayByCode } from '../relay/relay-client';
import { parseRelayUrl } from '../relay/relay-url';
import { connectRacing } from './connect-race';
import { parseEasyConnectCode } from './easy-connect-code';
import type { ChannelSchemas, LinkLog } from '../link/link-options';
import type { PeerLink } from '../link/link-types';
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
 * caught here without spending one of the requester's password attempts. An invitation with a
 * relay is reached by racing its direct addresses and the relay (connect-race.ts: one attempt at
 * most per Connect). An Easy Connect code goes through this computer's relay server.
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
    await this.exclusive(async () => {
      const password = normalizePassword(rawPassword);
      const { candidates, relay } = await openTicket(opened.ticket, password);
      // Relay only (policy): the requester's addresses are not even tried.
      const direct = this.d.policy.value('directConnections') ? candidates : [];
      if (direct.length === 0 && !relay) {
        throw new AppError('disabled-by-policy', 'Your administrator allows connections only through a relay server, and this invitation offers no relay. Ask for an invitation made with your organisation\u2019s relay server.');
      }
      const where = [...direct.map((c) => `${c.host}:${c.port}`), ...(relay ? [`relay ${relay.url}`] : [])].join(', ');
      await this.run(opened.ticket.requester.userName, where, () =>
        connectRacing({
          candidates: direct,
          relay: relay ?? null,
          invitationId: opened.ticket.id,
          password,
          helperName: this.d.userName,
          requesterName: opened.ticket.requester.userName,
          channelSchemas: this.d.channelSchemas,
          logger: this.linkLog(),
        }),
      );
    });
  }

  /**
   * Connects with an Easy Connect code: the code id goes to this computer's relay server, which
   * joins us to the pairing behind it; the password part goes only into the handshake.
   */
  async connectByCode(text: string): Promise<void> {
    await this.exclusive(async () => {
      // Parsed first: a typo is caught here, before the relay or the requester spends anything.
      const { codeId, password } = parseEasyConnectCode(text);
      const relaySetting = this.d.policy.value('relayUrl');
      if (!relaySetting) {
        throw new AppError('unavailable', 'Easy Connect needs a relay server, and none is set on this computer. Set the same relay server as the person who invited you in Remote settings (Relay server), or ask them for an invitation file.');
      }
      const url = parseRelayUrl(relaySetting).toString();
      const joined = await joinRelayByCode({ url, codeId, timeoutMs: 15_000 });
      const requesterName = joined.info.requesterName;
      try {
        await this.run(requesterName, `relay ${url}`, async () => {
          const r = await connectToInvitationOver(joined.stream, {
            peerAddress: joined.stream.peerAddress,
            invitationId: joined.info.invitationId,
            password,
            helperName: this.d.userName,
            requesterName,
            channelSchemas: this.d.channelSchemas,
            logger: this.linkLog(),
          });
          return { ...r, iceServers: [...joined.stream.iceServers] };
        });
      } catch (e) {
        joined.stream.destroy(); // if the audit log could not be opened, nobody else will
        throw e;
      }
    });
  }

  /** One connection at a time, and none while a session runs. */
  private async exclusive(work: () => Promise<void>): Promise<void> {
    if (this.connecting) throw new AppError('conflict', 'Already connecting.');
    if (this.d.sessions.busy) throw new AppError('conflict', 'A session is already running. End it before connecting to another.');
    this.connecting = true;
    try {
      await work();
    } finally {
      this.connecting = false;
    }
  }

  /** Opens the helper's audit log, links, and starts the session; failures are logged and rethrown. */
  private async run(peerName: string, where: string, link: () => Promise<{ link: PeerLink; requesterName: string; peerAddress: string; iceServers: SessionView['iceServers'] }>): Promise<void> {
    const log = await this.d.audit.openSession({ kind: 'invitation', role: 'helper', required: this.d.policy.value('loggingRequired'), peerName });
    const audit = auditSinkFor(log, this.d.logger);
    audit({ type: 'connection.attempt', peerAddress: where });
    try {
      const r = await link();
      log.setPeer(r.requesterName, r.peerAddress);
      this.d.sessions.attachHelper({ link: r.link, kind: 'invitation', audit, iceServers: r.iceServers, onEnded: () => log.close() });
    } catch (e) {
      if (isAppError(e, 'wrong-password')) audit({ type: 'password.failed', peerAddress: 'requester', attemptsLeft: Number(e.details?.attemptsLeft ?? 0) });
      else audit({ type: 'handshake.failed', reason: (e as Error).message });
      log.close();
      throw e;
    }
  }

  private linkLog(): LinkLog {
    return (level, message, fields) => this.d.logger.log(level === 'debug' ? 'debug' : level, message, fields);
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
