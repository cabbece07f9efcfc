import path from 'node:path';
import type { InvitationMail } from './mail-sender-port';

/** One program to run, as an argument vector (never a shell string). */
export interface MailCommand {
  readonly cmd: string;
  readonly args: readonly string[];
  /** The exit status means nothing (explorer.exe answers 1 even when it opened the window). */
  readonly ignoreExitCode?: boolean;
}

/**
 * Mail.app scripted through osascript. The subject, body and path are passed as `argv` of the run
 * handler, never spliced into the script text, so nothing in them can become AppleScript.
 */
export const MAIL_APPLESCRIPT = [
  'on run argv',
  'set theSubject to item 1 of argv',
  'set theBody to item 2 of argv',
  'set theFile to (POSIX file (item 3 of argv)) as alias',
  'tell application "Mail"',
  'set newMessage to make new outgoing message with properties {subject:theSubject, content:theBody & return & return, visible:true}',
  'tell content of newMessage to make new attachment with properties {file name:theFile} at after last paragraph',
  'activate',
  'end tell',
  'end run',
] as const;

/** A `mailto:` link with subject and body (RFC 6068: percent-encoded, CRLF line breaks). It cannot carry a file. */
export function mailtoUrl(subject: string, body: string): string {
  const enc = (s: string) => encodeURIComponent(s.replace(/\r?\n/g, '\r\n'));
  return `mailto:?subject=${enc(subject)}&body=${enc(body)}`;
}

/**
 * The ways to open a new message with the file attached, best first: xdg-email on Linux (the
 * desktop's own mail handler), Mail.app on macOS (scripted, else just given the file). Windows has
 * none without native code (Simple MAPI is a separate port).
 */
export function attachCommands(platform: NodeJS.Platform, mail: InvitationMail): { via: 'xdg-email' | 'mail-script' | 'mail-app'; command: MailCommand }[] {
  assertAbsolute(mail.file, platform);
  if (platform === 'darwin') {
    return [
      { via: 'mail-script', command: { cmd: 'osascript', args: [...MAIL_APPLESCRIPT.flatMap((line) => ['-e', line]), mail.subject, mail.body, mail.file] } },
      { via: 'mail-app', command: { cmd: 'open', args: ['-a', 'Mail', mail.file] } },
    ];
  }
  if (platform === 'win32') return [];
  // --utf8 first: it applies to the options after it, and our names may not be ASCII.
  return [{ via: 'xdg-email', command: { cmd: 'xdg-email', args: ['--utf8', '--attach', mail.file, '--subject', mail.subject, '--body', mail.body] } }];
}

/** Opens a `mailto:` link in the default mail program; null where there is no such path (Linux uses xdg-email). */
export function mailtoCommand(platform: NodeJS.Platform, mail: InvitationMail): MailCommand | null {
  const url = mailtoUrl(mail.subject, mail.body);
  // The encoded link has no spaces or quotes, so no platform quoting can split or alter it.
  if (platform === 'win32') return { cmd: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] };
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  return null;
}

/** Shows the saved file in the file manager: selected where the platform can, else its folder. */
export function revealCommand(platform: NodeJS.Platform, file: string): MailCommand {
  assertAbsolute(file, platform);
  // `/select,` and the path as two arguments: explorer accepts `/select, "C:\a b\x"`; Windows file
  // names cannot contain `"`, so the quoting Node adds cannot be broken out of.
  if (platform === 'win32') return { cmd: 'explorer.exe', args: ['/select,', file], ignoreExitCode: true };
  if (platform === 'darwin') return { cmd: 'open', args: ['-R', file] };
  return { cmd: 'xdg-open', args: [path.posix.dirname(file)] };
}

/** An absolute path can never be read as an option (`-x`) by the programs above. */
function assertAbsolute(file: string, platform: NodeJS.Platform): void {
  const ok = platform === 'win32' ? /^[a-z]:\\/i.test(file) : file.startsWith('/');
  if (!ok) throw new Error(`The invitation file path must be absolute (got ${JSON.stringify(file)}).`);
}
