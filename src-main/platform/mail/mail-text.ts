import { formatLocalDateTime } from '../../../src-shared/invitation/time-text';

/** What the e-mail may say about the invitation. There is deliberately no password field. */
export interface MailFacts {
  fileName: string;
  requesterUser: string;
  requesterComputer: string;
  /** ISO time the invitation closes. */
  expiresAt: string;
}

// Names come from the OS and the file name from us, but a newline in one would let it forge lines
// of the message (or headers, in a mailto: link); keep them to one short plain line.
// eslint-disable-next-line no-control-regex
const oneLine = (s: string, max = 80) => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, max) || '?';

/** `2026-11-25 14:03 (UTC+01:00)`: the requester's clock, with the offset so the helper can convert. */
export function expiryText(iso: string): string {
  const d = new Date(iso);
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${formatLocalDateTime(d)} (UTC${offset >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')})`;
}

/**
 * The subject and body of the invitation e-mail, in plain words: what the helper does with the
 * attachment, and that the password comes separately. The password is not an input here, so it
 * cannot end up in a message that may be forwarded, archived or read by someone else.
 */
export function invitationMailText(f: MailFacts): { subject: string; body: string } {
  const user = oneLine(f.requesterUser);
  const computer = oneLine(f.requesterComputer);
  const file = oneLine(f.fileName, 120);
  const body = [
    'Hello,',
    '',
    `I would like your help with my computer (${computer}), so I have invited you to connect to it with Remote Assist.`,
    '',
    `The attached file, ${file}, is the invitation. To help me:`,
    '1. Save the attached file.',
    '2. Open it with Remote Assist: double-click it, or start Remote Assist, choose "Help someone who has invited you" and open the file there.',
    '3. Type the password I give you. I will tell you the password separately, by phone or in person. It is not in this e-mail, on purpose.',
    '4. I will then be asked whether you may see my screen. Nothing is shared until I agree, and I can stop at any time.',
    '',
    `The invitation works until ${expiryText(f.expiresAt)}. After that, or after too many wrong passwords, it closes by itself.`,
    '',
    'If you did not expect this message, do not open the file: call me first.',
    '',
    user,
  ].join('\n');
  return { subject: `Remote Assist invitation from ${user}`, body };
}
