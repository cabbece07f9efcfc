// The requester's input path is closed when a session ends, whatever the session did before: closing
// it must release what the helper held before the injector goes away (the second of two layers
// against stuck keys; the session's own release on link loss is tested in test/abuse-input.test.ts).
import { describe, expect, it } from 'vitest';
import { RecordingInjector } from '../input/recording-injector';
import { createMemoryLogger } from '../platform/app-logger';
import { createRequesterInput } from './requester-input';

describe('requester input path', () => {
  it('closing releases every held key and button, then closes the injector', async () => {
    const injector = new RecordingInjector();
    const input = await createRequesterInput({ platform: 'linux', env: {}, logger: createMemoryLogger(), injector });
    input.gate.setControl(true);
    input.gate.handle({ type: 'key', key: 'Control', code: 'ControlLeft', down: true });
    input.gate.handle({ type: 'pointer.button', x: 0.5, y: 0.5, button: 'left', down: true });
    await new Promise((r) => setTimeout(r, 10));
    injector.clear();
    await input.close();
    expect(injector.calls).toEqual([{ op: 'key', key: 'ControlLeft', down: false }, { op: 'button', button: 'left', down: false }, { op: 'close' }]);
  });
});
