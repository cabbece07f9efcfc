import { describe, expect, it } from 'vitest';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from './consent-port';
import { ConsentService } from './consent-service';

/** A prompt the test answers by hand, in order. */
function manualPrompt() {
  const open: { id: string; resolve: (a: ConsentAnswer) => void }[] = [];
  const prompt: ConsentPrompt = {
    ask: (id) => new Promise((resolve) => open.push({ id, resolve })),
    cancel: (id) => open.find((o) => o.id === id)?.resolve({ answer: 'cancelled' }),
  };
  return { prompt, open, answer: (a: ConsentAnswer['answer']) => open.shift()!.resolve({ answer: a }) };
}

const question: ConsentQuestion = { kind: 'file', title: 't', message: 'm', details: [], folder: null, timeoutMs: 60_000 } as unknown as ConsentQuestion;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ConsentService.onShowing (the input gate holds the helper back while a question is up)', () => {
  it('says true when a question appears and false once it is answered, for each of two queued questions', async () => {
    const p = manualPrompt();
    const consent = new ConsentService(p.prompt);
    const heard: boolean[] = [];
    consent.onShowing((s) => heard.push(s));
    const first = consent.ask(question);
    const second = consent.ask(question);
    await tick();
    expect(heard).toEqual([true]);
    p.answer('yes');
    await first;
    await tick();
    expect(heard).toEqual([true, false, true]);
    p.answer('no');
    expect(await second).toEqual({ answer: 'no' });
    expect(heard).toEqual([true, false, true, false]);
  });

  it('a listener added while a question is up hears true at once; unsubscribed, it hears nothing', async () => {
    const p = manualPrompt();
    const consent = new ConsentService(p.prompt);
    const pending = consent.ask(question);
    await tick();
    const heard: boolean[] = [];
    const stop = consent.onShowing((s) => heard.push(s));
    expect(heard).toEqual([true]);
    stop();
    p.answer('yes');
    await pending;
    expect(heard).toEqual([true]);
  });

  it('a throwing listener changes no answer', async () => {
    const p = manualPrompt();
    const consent = new ConsentService(p.prompt);
    consent.onShowing(() => {
      throw new Error('listener bug');
    });
    const pending = consent.ask(question);
    await tick();
    p.answer('yes');
    expect(await pending).toEqual({ answer: 'yes' });
  });
});
