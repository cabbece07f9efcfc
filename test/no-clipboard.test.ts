// There is no clipboard feature: nothing carries clipboard contents between the two computers, and
// the page never reads the clipboard. This test pins that down. If clipboard sharing is ever added,
// it must be added here deliberately — with its own policy switch, off by default, and consent —
// and these lists updated in the same change.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { events, methods } from '../src-shared/contract/index';
import { CHANNEL_IDS, CHANNELS } from '../src-shared/protocol/channels';
import { ChatMessage, ControlMessage } from '../src-shared/protocol/control';
import { FilesMessage } from '../src-shared/protocol/files';
import { LinkMessage } from '../src-main/link/link-messages';
import { CHANNEL_SCHEMAS } from '../src-main/app/channel-schemas';

const CLIPBOARDISH = /clip|paste|copy|selection|pasteboard/i;

/** Every property name anywhere in a schema (through its JSON Schema form). */
function propertyNames(schema: z.ZodType): string[] {
  const names: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'properties' && typeof child === 'object' && child) names.push(...Object.keys(child));
      walk(child);
    }
  };
  walk(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }));
  return names;
}

const literalsOf = (union: { options: readonly unknown[] }, key: string) => union.options.map((o) => ((o as z.ZodObject).shape[key] as z.ZodLiteral).value);

describe('no clipboard crosses between the computers', () => {
  it('the field scan sees nested fields (so the checks below are not vacuous)', () => {
    expect(propertyNames(ChatMessage)).toContain('text');
    expect(propertyNames(z.object({ type: z.literal('x'), data: z.object({ clipboardText: z.string() }) })).filter((n) => CLIPBOARDISH.test(n))).toEqual(['clipboardText']);
  });

  it('the link has exactly these channels', () => {
    expect(CHANNELS).toEqual(['control', 'chat', 'files', 'signal']);
    expect(CHANNEL_IDS).toEqual({ control: 1, chat: 2, files: 3, signal: 4 });
    expect(Object.keys(CHANNEL_SCHEMAS).sort()).toEqual([...CHANNELS].sort());
  });

  it('each channel carries exactly these messages, none of them clipboard data', () => {
    expect(literalsOf(ControlMessage, 'type')).toEqual(['state', 'consent.declined', 'control.request', 'control.refused', 'control.revoked', 'input.held', 'control.release', 'input', 'end']);
    expect(literalsOf(LinkMessage, 't')).toEqual(['ready', 'ping', 'pong', 'close']);
    expect(Object.keys(ChatMessage.shape)).toEqual(['type', 'id', 'text', 'sentAt']);
    expect(literalsOf(FilesMessage as unknown as { options: readonly unknown[] }, 'type').sort()).toEqual(['accept', 'ack', 'cancel', 'chunk', 'complete', 'decline', 'done', 'error', 'offer']);
    for (const [name, schema] of Object.entries(CHANNEL_SCHEMAS)) {
      expect(propertyNames(schema!).filter((n) => CLIPBOARDISH.test(n)), name).toEqual([]);
    }
  });

  it('remote input has no clipboard or paste event (text events are typed, never pasted)', () => {
    const input = fs.readFileSync(path.join(import.meta.dirname, '..', 'src-shared', 'protocol', 'input.ts'), 'utf8');
    const types = [...input.matchAll(/type: z\.literal\('([^']+)'\)/g)].map((m) => m[1]);
    expect(types).toEqual(['pointer.move', 'pointer.button', 'pointer.wheel', 'key', 'text']);
  });
});

describe('no clipboard between the page and main', () => {
  it('no contract method or event is about the clipboard, and no field carries it', () => {
    expect(Object.keys(methods).filter((m) => CLIPBOARDISH.test(m))).toEqual([]);
    expect(Object.keys(events).filter((e) => CLIPBOARDISH.test(e))).toEqual([]);
    for (const [name, spec] of Object.entries(methods)) {
      const fields = [...propertyNames(spec.request as z.ZodType), ...propertyNames(spec.response as z.ZodType)];
      expect(fields.filter((f) => CLIPBOARDISH.test(f)), name).toEqual([]);
    }
    for (const [name, schema] of Object.entries(events)) expect(propertyNames(schema as z.ZodType).filter((f) => CLIPBOARDISH.test(f)), name).toEqual([]);
  });

  it('the page never reads the clipboard; its one use is writing the helper ID the user asked to copy', () => {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    const root = path.join(import.meta.dirname, '..', 'src-renderer');
    const uses = walk(root).flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/navigator\.clipboard\.(\w+)|execCommand\(|onPaste|'paste'/g)].map((m) => `${path.relative(root, f)}: ${m[0]}`));
    expect(uses).toEqual(['wizard/offer/offer-slice.ts: navigator.clipboard.writeText']);
  });
});
