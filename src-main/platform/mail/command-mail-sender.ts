import type { AppLogger } from '../app-logger';
import { attachCommands, mailtoCommand, revealCommand, type MailCommand } from './mail-commands';
import type { InvitationMail, MailOutcome, MailSender, SimpleMapi } from './mail-sender-port';
import type { LaunchResult, Launcher } from './spawn-launcher';

export interface CommandMailSenderOptions {
  platform: NodeJS.Platform;
  launcher: Launcher;
  /** Policy `useMailto` (Windows `fUseMailto`): prefer a plain `mailto:` link over MAPI / Mail.app. */
  useMailto: () => boolean;
  /** Windows Simple MAPI, where available (null: not shipped; see SimpleMapi). */
  mapi?: SimpleMapi | null;
  logger?: AppLogger;
}

const started = (c: MailCommand, r: LaunchResult) => r.code === null || r.code === 0 || (!!c.ignoreExitCode && r.code !== 127);

function why(c: MailCommand, r: LaunchResult): string {
  if (r.code === 127) return `${c.cmd} is not installed`;
  return `${c.cmd} could not open a message (exit ${r.code})`;
}

/**
 * The MailSender for every platform, built on programs the desktop already has. Order: Simple
 * MAPI (Windows, unless policy says mailto), the platform's attach path (xdg-email; Mail.app), then
 * a `mailto:` link with the saved file shown in its folder. When nothing opens, the file is still
 * shown so the user can send it another way.
 */
export function createMailSender(o: CommandMailSenderOptions): MailSender {
  const run = async (c: MailCommand) => {
    const r = await o.launcher(c.cmd, c.args);
    if (!started(c, r)) o.logger?.warn('mail: command failed', { cmd: c.cmd, code: r.code, stderr: r.stderr.slice(0, 500) });
    return r;
  };
  const reveal = async (file: string) => {
    const c = revealCommand(o.platform, file);
    return started(c, await run(c));
  };
  return {
    async send(mail: InvitationMail): Promise<MailOutcome> {
      const preferMailto = o.useMailto();
      let problem: string | null = null;
      if (o.platform === 'win32' && !preferMailto && o.mapi) {
        if (await o.mapi.sendMail(mail).catch(() => false)) return { via: 'mapi', attached: true, revealed: false, problem: null };
        problem = 'Simple MAPI is not available';
      }
      // On macOS the policy's mailto choice means "the default mail program", not Mail.app.
      const attach = o.platform === 'darwin' && preferMailto ? [] : attachCommands(o.platform, mail);
      for (const { via, command } of attach) {
        const r = await run(command);
        if (started(command, r)) return { via, attached: true, revealed: false, problem: null };
        problem = why(command, r);
      }
      const mailto = mailtoCommand(o.platform, mail);
      if (mailto) {
        const r = await run(mailto);
        if (started(mailto, r)) return { via: 'mailto', attached: false, revealed: await reveal(mail.file), problem: null };
        problem = why(mailto, r);
      }
      return { via: 'none', attached: false, revealed: await reveal(mail.file), problem: problem ?? 'no e-mail program was found' };
    },
  };
}
