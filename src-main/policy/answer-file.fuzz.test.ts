import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialSettingsSchema } from '../../src-shared/settings/settings-schema';
import { parseAnswerFile } from './answer-file';

const ANSWER = `<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
  <settings pass="specialize">
    <component name="Microsoft-Windows-RemoteAssistance-Exe" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
      <CreateEncryptedOnlyTickets>true</CreateEncryptedOnlyTickets>
      <fAllowToGetHelp>true</fAllowToGetHelp>
      <fAllowFullControl>false</fAllowFullControl>
      <MaxTicketExpiry>1</MaxTicketExpiry>
      <MaxTicketExpiryUnits>2</MaxTicketExpiryUnits>
    </component>
  </settings>
</unattend>`;

/** Random edits of a valid document: insert, delete, replace, duplicate a slice. */
const mutated = (doc: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('insert', 'delete', 'replace', 'dup'), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 4 }).map((edits) => {
    let s = doc;
    for (const [pos, len, op, text] of edits) {
      const at = pos % (s.length + 1);
      if (op === 'insert') s = s.slice(0, at) + text + s.slice(at);
      else if (op === 'delete') s = s.slice(0, at) + s.slice(at + len);
      else if (op === 'replace') s = s.slice(0, at) + text + s.slice(at + text.length);
      else s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    }
    return s;
  });

/** A plain assertion: vitest's expect costs far more per call than the parsers under test. */
function assert(cond: boolean, what: string, input: string): void {
  if (!cond) throw new Error(`${what} for input ${JSON.stringify(input.slice(0, 200))}`);
}

describe('answer-file parser (fast-check)', () => {
  /** Never throws; whatever it returns is a valid partial of the four answer-file settings. */
  const checkAnswer = (xml: string) => {
    const r = parseAnswerFile(xml, 'unattend.xml');
    assert(r.status === 'ok' || r.status === 'malformed', 'bad status', xml);
    assert(PartialSettingsSchema.safeParse(r.settings).success, 'settings do not satisfy the schema', xml);
    for (const k of Object.keys(r.settings)) assert(['allowInvitations', 'allowControl', 'maxInvitationMinutes', 'encryptedOnly'].includes(k), `unexpected key ${k}`, xml);
    if (r.status === 'malformed') assert(Object.keys(r.settings).length === 0, 'malformed file contributed settings', xml);
  };

  it('the valid document gives the expected settings', () => {
    expect(parseAnswerFile(ANSWER, 'a')).toEqual({ status: 'ok', settings: { allowInvitations: true, allowControl: false, encryptedOnly: true, maxInvitationMinutes: 1440 }, warnings: [] });
  });

  it('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), checkAnswer), { numRuns: 10_000 });
  });

  it('mutations of a valid answer file never throw', () => {
    fc.assert(fc.property(mutated(ANSWER), checkAnswer), { numRuns: 5_000 });
  });

  it('arbitrary element values and extra elements never throw and never produce out-of-range settings', () => {
    const value = fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '0', '1', '', ' 7 ', '-1', '99999999', '1e3', '<x/>', '&amp;', '<![CDATA[true]]>'), fc.string({ maxLength: 8 }));
    const element = fc.tuple(fc.constantFrom('fAllowToGetHelp', 'fAllowFullControl', 'CreateEncryptedOnlyTickets', 'MaxTicketExpiry', 'MaxTicketExpiryUnits', 'fEnableChatControl', 'Unknown', '__proto__', 'constructor'), value);
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (els) => {
        const body = els.map(([n, v]) => `<${n}>${v}</${n}>`).join('');
        checkAnswer(`<unattend><settings pass="specialize"><component name="Microsoft-Windows-RemoteAssistance-Exe">${body}</component></settings></unattend>`);
      }),
      { numRuns: 5_000 },
    );
  });
});
