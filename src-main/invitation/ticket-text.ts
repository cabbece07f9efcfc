// Bytes of a file that claims to be an invitation → its text. Invitations are UTF-8, but people
// also open files saved by Windows tools (UTF-16 with a byte-order mark, as .msrcincident files
// are), so the common encodings are decoded first and everything else gets a precise reason.
import { MAX_TICKET_FILE_BYTES } from './ticket-limits';
import { ticketProblem } from './ticket-errors';

/**
 * Throws the "too large" error when `size` bytes cannot be an invitation. Call before reading it
 * all. `partial`: only the first `size` bytes were read (a device or a growing file), so the
 * real size is unknown.
 */
export function assertTicketSize(size: number, partial = false): void {
  if (size > MAX_TICKET_FILE_BYTES) {
    const shown = partial ? `more than ${MAX_TICKET_FILE_BYTES / 1024} KiB` : size >= 2 ** 20 ? `${(size / 2 ** 20).toFixed(1)} MiB` : `${Math.ceil(size / 1024)} KiB`;
    throw ticketProblem('too-large', `The file is too large to be an invitation (${shown}; an invitation is at most ${MAX_TICKET_FILE_BYTES / 1024} KiB).`, { size });
  }
}

function decode(encoding: 'utf-8' | 'utf-16le', bytes: Uint8Array, failure: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw ticketProblem('binary', `The file is not an invitation: ${failure}.`);
  }
}

const BAD_UTF8_BOM = 'it is marked as UTF-8 text but is not valid UTF-8';
const BAD_UTF16 = 'it looks like UTF-16 text but is not valid UTF-16';
const NOT_UTF8 = 'it holds binary data (or text in an encoding other than UTF-8), not text';

function swapBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

/** Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE (with BOM, or plainly ASCII-led). */
export function decodeTicketBytes(bytes: Uint8Array): string {
  assertTicketSize(bytes.length);
  const [b0, b1, b2] = bytes;
  let text: string;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) text = decode('utf-8', bytes.subarray(3), BAD_UTF8_BOM);
  else if (b0 === 0xff && b1 === 0xfe) text = decode('utf-16le', bytes.subarray(2), BAD_UTF16);
  // Swapping to little-endian avoids depending on ICU's utf-16be decoder being built in.
  else if (b0 === 0xfe && b1 === 0xff) text = decode('utf-16le', swapBytes(bytes.subarray(2)), BAD_UTF16);
  // UTF-16 without a BOM: an ASCII first character ('{' or '<') followed or preceded by a zero byte.
  else if (bytes.length % 2 === 0 && b0 !== undefined && b0 !== 0 && b0 < 0x80 && b1 === 0) text = decode('utf-16le', bytes, BAD_UTF16);
  else if (bytes.length % 2 === 0 && b0 === 0 && b1 !== undefined && b1 !== 0 && b1 < 0x80) text = decode('utf-16le', swapBytes(bytes), BAD_UTF16);
  else text = decode('utf-8', bytes, NOT_UTF8);
  return checkText(text);
}

/** Checks text that arrived as a string: size in UTF-8 bytes, a leading BOM, binary content. */
export function ticketTextFromString(text: string): string {
  // A UTF-16 code unit is at least one UTF-8 byte: the cheap length test first, then the exact one.
  assertTicketSize(text.length);
  assertTicketSize(new TextEncoder().encode(text).length);
  return checkText(text.startsWith('\uFEFF') ? text.slice(1) : text);
}

// NUL and other control characters (except tab, line feed, form feed, carriage return) never
// occur in a text file a person or an app wrote: it is binary data that happens to decode.
function checkText(text: string): string {
  if (/(?![\t\n\f\r])\p{Cc}/u.test(text)) throw ticketProblem('binary', 'The file is not an invitation: it holds binary data, not text.');
  return text;
}
