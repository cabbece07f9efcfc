// Windows Remote Assistance invitations (.msrcincident) are XML with an UPLOADINFO root. People
// will double-click one expecting it to work; recognise it so we can say exactly what it is.
import { XMLParser } from 'fast-xml-parser';

// No entity processing: a hostile DOCTYPE cannot expand into gigabytes ("billion laughs").
const parser = new XMLParser({ ignoreAttributes: true, processEntities: false, htmlEntities: false, ignoreDeclaration: true, ignorePiTags: true });

/** What an XML-looking text is: a Windows Remote Assistance invitation, or some other XML. */
export type XmlKind = 'msrcincident' | 'other-xml';

/** Classifies text that starts with '<'. Never throws: malformed XML is simply "other". */
export function classifyXml(text: string): XmlKind {
  try {
    const doc: unknown = parser.parse(text);
    if (doc === null || typeof doc !== 'object') return 'other-xml';
    const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
    return roots.length === 1 && roots[0]!.toUpperCase() === 'UPLOADINFO' ? 'msrcincident' : 'other-xml';
  } catch {
    return 'other-xml';
  }
}
