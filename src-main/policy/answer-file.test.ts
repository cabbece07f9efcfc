import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerFilePath, parseAnswerFile, readAnswerFile } from './answer-file';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-answer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A Windows-style answer file with other components around ours, as image builders write them. */
const doc = (body: string, extra = '') => `<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
  <settings pass="windowsPE">
    <component name="Microsoft-Windows-International-Core-WinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
      <UILanguage>en-US</UILanguage>
    </component>
  </settings>
  <settings pass="specialize">
    <component name="Microsoft-Windows-RemoteAssistance-Exe" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
${body}
    </component>
    <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
      <ComputerName>*</ComputerName>
    </component>
  </settings>${extra}
</unattend>`;

describe('answer file path', () => {
  it('--answer-file, then REMOTE_ASSIST_ANSWER_FILE, then the platform location', () => {
    expect(answerFilePath('/x/u.xml', { REMOTE_ASSIST_ANSWER_FILE: '/y.xml' }, 'linux')).toBe('/x/u.xml');
    expect(answerFilePath(undefined, { REMOTE_ASSIST_ANSWER_FILE: '/y.xml' }, 'linux')).toBe('/y.xml');
    expect(answerFilePath(undefined, {}, 'linux')).toBe('/etc/remote-assist/unattend.xml');
    expect(answerFilePath(undefined, {}, 'darwin')).toBe('/Library/Application Support/Remote Assist/unattend.xml');
    expect(answerFilePath(undefined, { ProgramData: 'C:\\PD' }, 'win32')).toBe('C:\\PD\\Remote Assist\\unattend.xml');
  });
});

describe('parsing the Microsoft-Windows-RemoteAssistance-Exe component', () => {
  it('reads the five elements with Windows semantics (MaxTicketExpiry in MaxTicketExpiryUnits)', () => {
    const r = parseAnswerFile(
      doc(`      <CreateEncryptedOnlyTickets>false</CreateEncryptedOnlyTickets>
      <fAllowToGetHelp>false</fAllowToGetHelp>
      <fAllowFullControl>true</fAllowFullControl>
      <MaxTicketExpiry>90</MaxTicketExpiry>
      <MaxTicketExpiryUnits>0</MaxTicketExpiryUnits>`),
      'u.xml',
    );
    expect(r).toEqual({ status: 'ok', settings: { allowInvitations: false, allowControl: true, encryptedOnly: false, maxInvitationMinutes: 90 }, warnings: [] });
  });

  it('a missing half of the lifetime takes the Windows default (6, hours); more than 30 days is capped', () => {
    expect(parseAnswerFile(doc('<MaxTicketExpiryUnits>2</MaxTicketExpiryUnits>'), 'u').settings).toEqual({ maxInvitationMinutes: 6 * 1440 });
    expect(parseAnswerFile(doc('<MaxTicketExpiry>3</MaxTicketExpiry>'), 'u').settings).toEqual({ maxInvitationMinutes: 180 });
    const capped = parseAnswerFile(doc('<MaxTicketExpiry>45</MaxTicketExpiry><MaxTicketExpiryUnits>2</MaxTicketExpiryUnits>'), 'u');
    expect(capped.settings).toEqual({ maxInvitationMinutes: 43200 });
    expect(capped.warnings.join()).toMatch(/capped at 30 days/);
  });

  it('unknown elements are ignored with a warning; known ones still apply', () => {
    const r = parseAnswerFile(doc('<fEnableChatControl>true</fEnableChatControl><fAllowToGetHelp>true</fAllowToGetHelp><Colour>blue</Colour>'), 'u.xml');
    expect(r.status).toBe('ok');
    expect(r.settings).toEqual({ allowInvitations: true });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/<fEnableChatControl> is not a setting Remote Assist reads/);
    expect(r.warnings[1]).toMatch(/<Colour>/);
  });

  it('wrong types: a warning and the element is skipped; a bad lifetime drops both halves', () => {
    const r = parseAnswerFile(doc('<fAllowToGetHelp>maybe</fAllowToGetHelp><fAllowFullControl><x/></fAllowFullControl><MaxTicketExpiry>soon</MaxTicketExpiry><MaxTicketExpiryUnits>2</MaxTicketExpiryUnits><CreateEncryptedOnlyTickets> TRUE </CreateEncryptedOnlyTickets>'), 'u.xml');
    expect(r.status).toBe('ok');
    expect(r.settings).toEqual({ encryptedOnly: true });
    expect(r.warnings.join('\n')).toMatch(/<fAllowToGetHelp> must be true or false, not "maybe"/);
    expect(r.warnings.join('\n')).toMatch(/<fAllowFullControl> must be true or false, not nested elements/);
    expect(r.warnings.join('\n')).toMatch(/<MaxTicketExpiry> must be a whole number, not "soon"; the maximum invitation time from the answer file is ignored/);
    const units = parseAnswerFile(doc('<MaxTicketExpiry>2</MaxTicketExpiry><MaxTicketExpiryUnits>7</MaxTicketExpiryUnits>'), 'u');
    expect(units.settings).toEqual({});
    expect(units.warnings.join()).toMatch(/MaxTicketExpiryUnits must be 0 \(minutes\), 1 \(hours\) or 2 \(days\), not 7; ignored/);
  });

  it('a repeated element: the last wins, with a warning', () => {
    const r = parseAnswerFile(doc('<fAllowToGetHelp>true</fAllowToGetHelp><fAllowToGetHelp>false</fAllowToGetHelp>'), 'u');
    expect(r.settings).toEqual({ allowInvitations: false });
    expect(r.warnings.join()).toMatch(/more than once/);
  });

  it('an answer file without our component contributes nothing, silently', () => {
    expect(parseAnswerFile('<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="oobeSystem"><component name="Microsoft-Windows-Shell-Setup"/></settings></unattend>', 'u')).toEqual({ status: 'ok', settings: {}, warnings: [] });
  });

  it.each([
    ['unclosed element', doc('<fAllowToGetHelp>false</fAllowToGetHelp').replace('</unattend>', ''), /XML error at line \d+, column \d+/],
    ['mismatched tags', '<unattend><settings></unattend></settings>', /XML error at line 1/],
    ['not XML at all', 'fAllowToGetHelp=false', /XML error/],
    ['another document type', '<policy><fAllowToGetHelp>false</fAllowToGetHelp></policy>', /root element must be <unattend>/],
  ])('malformed (%s): a warning and no answer-file settings', (_what, xml, msg) => {
    const r = parseAnswerFile(xml, '/etc/remote-assist/unattend.xml');
    expect(r.status).toBe('malformed');
    expect(r.settings).toEqual({});
    expect(r.warnings.at(-1)).toMatch(msg);
    expect(r.warnings.at(-1)).toMatch(/^\/etc\/remote-assist\/unattend\.xml: .*the answer file is ignored and built-in defaults apply\.$/);
  });

  it('does not expand DOCTYPE entities (no billion laughs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE unattend [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<unattend><settings><component name="Microsoft-Windows-RemoteAssistance-Exe"><fAllowToGetHelp>&c;</fAllowToGetHelp></component></settings></unattend>`;
    const r = parseAnswerFile(bomb, 'u');
    expect(r.settings).toEqual({});
  });
});

describe('reading the file', () => {
  it('absent → absent; a folder → malformed; a file → parsed', async () => {
    expect((await readAnswerFile(path.join(dir, 'none.xml'))).status).toBe('absent');
    expect((await readAnswerFile(dir)).status).toBe('malformed');
    const f = path.join(dir, 'unattend.xml');
    fs.writeFileSync(f, '\ufeff' + doc('<fAllowFullControl>false</fAllowFullControl>'));
    expect(await readAnswerFile(f)).toMatchObject({ status: 'ok', file: f, settings: { allowControl: false } });
  });

  it('over 1 MiB: ignored', async () => {
    const f = path.join(dir, 'big.xml');
    fs.writeFileSync(f, doc(`<!-- ${'x'.repeat(1024 * 1024)} -->`));
    const r = await readAnswerFile(f);
    expect(r.status).toBe('malformed');
    expect(r.warnings.join()).toMatch(/larger than 1 MiB/);
  });
});
