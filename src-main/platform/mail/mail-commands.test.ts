import { describe, expect, it } from 'vitest';
import { attachCommands, MAIL_APPLESCRIPT, mailtoCommand, mailtoUrl, revealCommand } from './mail-commands';
import { invitationMailText } from './mail-text';

const linuxFile = `/home/ana/Downloads/My "urgent" invitation's copy $(x).rainvite`;
const winFile = 'C:\\Users\\Ana Maria\\Downloads\\Invitation from Rita (2).rainvite';
const macFile = "/Users/ana/Downloads/It's \"the\" one.rainvite";
const subject = 'Remote Assist invitation from ana';
const body = 'Hello,\n\nLine two & "three" = 100%';

describe('mail commands: exact argv per platform', () => {
  it('Linux: xdg-email with the file attached, names with spaces and quotes passed as they are', () => {
    expect(attachCommands('linux', { file: linuxFile, subject, body })).toEqual([
      { via: 'xdg-email', command: { cmd: 'xdg-email', args: ['--utf8', '--attach', linuxFile, '--subject', subject, '--body', body] } },
    ]);
    expect(mailtoCommand('linux', { file: linuxFile, subject, body })).toBeNull();
    expect(revealCommand('linux', linuxFile)).toEqual({ cmd: 'xdg-open', args: ['/home/ana/Downloads'] });
  });

  it('macOS: Mail scripted with subject, body and file as run-handler arguments; then plain open -a Mail', () => {
    const [script, plain] = attachCommands('darwin', { file: macFile, subject, body });
    expect(script!.via).toBe('mail-script');
    expect(script!.command.cmd).toBe('osascript');
    expect(script!.command.args).toEqual([...MAIL_APPLESCRIPT.flatMap((l) => ['-e', l]), subject, body, macFile]);
    // Nothing of the message is spliced into the AppleScript source.
    expect(MAIL_APPLESCRIPT.join('\n')).not.toContain(subject);
    expect(plain).toEqual({ via: 'mail-app', command: { cmd: 'open', args: ['-a', 'Mail', macFile] } });
    expect(mailtoCommand('darwin', { file: macFile, subject, body })).toEqual({ cmd: 'open', args: [mailtoUrl(subject, body)] });
    expect(revealCommand('darwin', macFile)).toEqual({ cmd: 'open', args: ['-R', macFile] });
  });

  it('Windows: mailto through the URL handler, the file selected in Explorer', () => {
    expect(attachCommands('win32', { file: winFile, subject, body })).toEqual([]);
    expect(mailtoCommand('win32', { file: winFile, subject, body })).toEqual({ cmd: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', mailtoUrl(subject, body)] });
    expect(revealCommand('win32', winFile)).toEqual({ cmd: 'explorer.exe', args: ['/select,', winFile], ignoreExitCode: true });
  });

  it('refuses relative paths (an argument starting with "-" could be read as an option)', () => {
    expect(() => attachCommands('linux', { file: '-x.rainvite', subject, body })).toThrow(/absolute/);
    expect(() => revealCommand('win32', 'x.rainvite')).toThrow(/absolute/);
    expect(() => revealCommand('darwin', '--help')).toThrow(/absolute/);
  });
});

describe('mailto: links', () => {
  it('percent-encode everything, with CRLF line breaks, and round-trip', () => {
    const url = mailtoUrl(subject, body);
    expect(url).toMatch(/^mailto:\?subject=[^ "&]+&body=[^ "&]+$/);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('subject')).toBe(subject);
    expect(parsed.searchParams.get('body')).toBe(body.replace(/\n/g, '\r\n'));
  });

  it('stay under the 2048 characters Windows passes to a URL handler, for the real invitation text', () => {
    const text = invitationMailText({ fileName: 'Invitation from Ana Maria Lopez-20261125-1403.rainvite', requesterUser: 'Ana Maria Lopez', requesterComputer: 'ANA-LAPTOP-2', expiresAt: '2026-11-25T20:03:00Z' });
    expect(mailtoUrl(text.subject, text.body).length).toBeLessThan(2048);
  });
});
