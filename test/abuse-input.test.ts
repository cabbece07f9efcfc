// Abuse cases for remote input, as a malicious helper would try them: a real requester app core
// (policy, listener, CPace, secure link, session, the real InputGate) and a helper that completed
// the real handshake but speaks raw control messages, ignoring what the honest HelperSession would
// refuse to send. The injector at the system edge records; XTest itself is tested on Xvfb elsewhere.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordedCall } from '../src-main/input/recording-injector';
import { disposeCores, inviteOn, startCore, type CoreHandle } from './helpers/core-harness';

afterEach(disposeCores);

const keyDown = (key: string, code?: string) => ({ type: 'key', key, ...(code ? { code } : {}), down: true });
const buttonDown = { type: 'pointer.button', x: 0.5, y: 0.5, button: 'left', down: true };
const move = (x: number) => ({ type: 'pointer.move', x, y: 0.5 });
/** Everything a helper could want to do at once: move, press a key and a modifier, hold a button, type. */
const everything = [move(0.1), keyDown('a', 'KeyA'), keyDown('Shift', 'ShiftLeft'), buttonDown, { type: 'text', text: 'rm -rf ~' }];

async function hostileSession() {
  const r = await startCore();
  const { connect } = await inviteOn(r);
  const { link } = await connect();
  let seq = 0;
  const chats: string[] = [];
  r.core.hub.subscribe((name, payload) => {
    if (name === 'chat.message') chats.push((payload as { entry: { text: string } }).entry.text);
  });
  const h = {
    r,
    link,
    send: (events: unknown[]) => link.channel('control').send({ type: 'input', events }),
    /**
     * Ordering barrier: the link delivers frames in order and the gate decides synchronously, so once
     * a chat message sent after the input has arrived, the input has been judged; one more turn lets
     * any accepted injection run.
     */
    async settle() {
      const text = `barrier ${++seq}`;
      link.channel('chat').send({ type: 'chat', id: `b${seq}`, text, sentAt: 0 });
      await vi.waitFor(() => expect(chats).toContain(text));
      await new Promise((res) => setTimeout(res, 20));
    },
    async toControlling() {
      link.channel('control').send({ type: 'control.request' });
      await r.prompt.answer('yes');
      await vi.waitFor(async () => expect(await r.state()).toBe('controlling'));
    },
  };
  return h;
}

const calls = (r: CoreHandle, op?: RecordedCall['op']) => r.injector.calls.filter((c) => c.op !== 'close' && (!op || c.op === op));
const released = (r: CoreHandle) => r.injector.calls.filter((c) => (c.op === 'key' || c.op === 'button') && !c.down);

describe('abuse: input from a malicious helper', () => {
  it('while a file prompt is on the requester\'s screen during control: nothing is injected, held input is released, and injection resumes after the answer', async () => {
    const h = await hostileSession();
    await h.r.prompt.answer('yes');
    await vi.waitFor(async () => expect(await h.r.state()).toBe('viewing'));
    await h.toControlling();
    h.send([keyDown('Shift', 'ShiftLeft')]);
    await h.settle();
    expect(calls(h.r, 'key')).toHaveLength(1);

    const told: unknown[] = [];
    h.link.channel('control').onMessage((m) => (m as { type: string }).type === 'input.held' && told.push(m));
    // The helper offers a file and then tries to click "Yes" on the prompt it caused.
    h.link.channel('files').send({ type: 'offer', transferId: 'click-own-yes-000001', name: 'tool.exe', size: 10 });
    await vi.waitFor(() => expect(h.r.prompt.asked.map((q) => q.kind)).toContain('file'));
    await vi.waitFor(() => expect(released(h.r).map((c) => c.op)).toEqual(['key']));
    const before = calls(h.r).length;
    h.send(everything);
    await h.settle();
    expect(calls(h.r).length).toBe(before);

    // The helper is told why nothing happens, and when it works again.
    await vi.waitFor(() => expect(told).toEqual([{ type: 'input.held', held: true }]));

    await h.r.prompt.answer('no');
    await vi.waitFor(() => expect(told).toEqual([{ type: 'input.held', held: true }, { type: 'input.held', held: false }]));
    h.send([move(0.5)]);
    await h.settle();
    expect(calls(h.r, 'moveTo')).toHaveLength(1);
  });

  it('before consent, while only viewing, and while the control prompt is open: nothing is injected', async () => {
    const h = await hostileSession();
    await vi.waitFor(() => expect(h.r.prompt.asked.map((q) => q.kind)).toEqual(['view']));
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);

    await h.r.prompt.answer('yes');
    await vi.waitFor(async () => expect(await h.r.state()).toBe('viewing'));
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);

    h.link.channel('control').send({ type: 'control.request' });
    await vi.waitFor(() => expect(h.r.prompt.asked.map((q) => q.kind)).toEqual(['view', 'control']));
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);

    // The same events are injected once control is granted: the test can see injection at all.
    await h.r.prompt.answer('yes');
    await vi.waitFor(async () => expect(await h.r.state()).toBe('controlling'));
    h.send([move(0.5)]);
    await h.settle();
    expect(calls(h.r, 'moveTo')).toHaveLength(1);
  });

  it('the stop button and Esc release every held key and button, and nothing is injected after either', async () => {
    const h = await hostileSession();
    await h.r.prompt.answer('yes');
    await h.toControlling();
    h.send([keyDown('a', 'KeyA'), keyDown('Shift', 'ShiftLeft'), buttonDown]);
    await h.settle();
    expect(calls(h.r, 'key').map((c) => c.op === 'key' && c.down)).toEqual([true, true]);
    h.r.injector.clear();

    await h.r.call('session.stopControl', {});
    await vi.waitFor(() => expect(released(h.r)).toEqual(expect.arrayContaining([{ op: 'key', key: 'a', down: false }, { op: 'key', key: 'ShiftLeft', down: false }, { op: 'button', button: 'left', down: false }])));
    h.r.injector.clear();
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);

    await h.toControlling();
    h.send([keyDown('b', 'KeyB'), buttonDown]);
    await h.settle();
    h.r.injector.clear();
    expect(await h.r.call('session.escape', {})).toEqual({ revoked: true });
    await vi.waitFor(() => expect(released(h.r)).toEqual(expect.arrayContaining([{ op: 'key', key: 'b', down: false }, { op: 'button', button: 'left', down: false }])));
    h.r.injector.clear();
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);
    expect(await h.r.state()).toBe('viewing');
  });

  it('while paused nothing is injected, and what was held is released at the pause', async () => {
    const h = await hostileSession();
    await h.r.prompt.answer('yes');
    await h.toControlling();
    h.send([keyDown('Control', 'ControlLeft'), buttonDown]);
    await h.settle();
    h.r.injector.clear();

    await h.r.call('session.pause', { paused: true });
    await vi.waitFor(() => expect(released(h.r)).toEqual(expect.arrayContaining([{ op: 'key', key: 'ControlLeft', down: false }, { op: 'button', button: 'left', down: false }])));
    h.r.injector.clear();
    h.send(everything);
    await h.settle();
    expect(calls(h.r)).toEqual([]);

    await h.r.call('session.pause', { paused: false });
    await vi.waitFor(async () => expect(await h.r.state()).toBe('controlling'));
    h.send([move(0.5)]);
    await h.settle();
    expect(calls(h.r, 'moveTo')).toHaveLength(1);
  });

  it('when the link drops, every held key and button is released (no stuck keys) and the session ends', async () => {
    const h = await hostileSession();
    await h.r.prompt.answer('yes');
    await h.toControlling();
    h.send([keyDown('Alt', 'AltLeft'), keyDown('Tab'), { ...buttonDown, button: 'right' }]);
    await h.settle();
    h.r.injector.clear();

    h.link.close('gone');
    await vi.waitFor(async () => expect(await h.r.state()).toBe('ended'));
    await vi.waitFor(() =>
      expect(released(h.r)).toEqual(expect.arrayContaining([{ op: 'key', key: 'AltLeft', down: false }, { op: 'key', key: 'Tab', down: false }, { op: 'button', button: 'right', down: false }])),
    );
  });
});
