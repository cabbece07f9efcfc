import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { NativeInjector, type RobotLike } from './native-injector';
import { selectInputInjector, x11Unavailability } from './select-input-injector';

const unavailable = (e: unknown) => isAppError(e, 'unavailable');

describe('selectInputInjector', () => {
  it('refuses a Wayland session with a sentence that says control needs X11', async () => {
    for (const env of [{ XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' }, { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }]) {
      const error = await selectInputInjector({ platform: 'linux', env }).catch((e: unknown) => e);
      expect(unavailable(error)).toBe(true);
      expect((error as Error).message).toMatch(/X11 session.*Wayland/);
    }
  });

  it('refuses when there is no X display', async () => {
    await expect(selectInputInjector({ platform: 'linux', env: {} })).rejects.toSatisfy(unavailable);
    expect(x11Unavailability({})).toMatch(/DISPLAY is not set/);
  });

  it('lets an explicit display through (tests, --display)', () => {
    expect(x11Unavailability({ XDG_SESSION_TYPE: 'wayland' }, ':99')).toBeNull();
    expect(x11Unavailability({ DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' })).toBeNull();
  });

  it('refuses unsupported platforms, and a missing Windows/macOS addon', async () => {
    await expect(selectInputInjector({ platform: 'aix', env: {} })).rejects.toSatisfy(unavailable);
    const error = await selectInputInjector({ platform: 'win32', env: {}, nativeModule: 'remote-assist-no-such-addon' }).catch((e: unknown) => e);
    expect(unavailable(error)).toBe(true);
    expect((error as Error).message).toContain('remote-assist-no-such-addon');
  });
});

describe('NativeInjector (with a fake addon; the real one is typecheck-only here)', () => {
  function fakeRobot() {
    const calls: unknown[][] = [];
    const rec = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
    const robot: RobotLike = {
      moveMouse: rec('moveMouse'),
      mouseToggle: rec('mouseToggle'),
      keyToggle: rec('keyToggle'),
      scrollMouse: rec('scrollMouse'),
      typeString: rec('typeString'),
      getScreenSize: () => ({ width: 2560, height: 1440 }),
      setMouseDelay: rec('setMouseDelay'),
      setKeyboardDelay: rec('setKeyboardDelay'),
    };
    return { robot, calls };
  }

  it('turns off robotjs delays, translates calls and key names, and releases what is held on close', async () => {
    const { robot, calls } = fakeRobot();
    const inj = new NativeInjector(robot, 'win32');
    expect(await inj.screenSize()).toEqual({ width: 2560, height: 1440 });
    await inj.moveTo(10.4, 20.6);
    await inj.button('left', true);
    await inj.wheel(0, 2);
    await inj.key('ShiftRight', true);
    await inj.key('a', true);
    await inj.key('a', false);
    await inj.key('Escape', true);
    await inj.typeText('é');
    await inj.close();
    expect(calls).toEqual([
      ['setMouseDelay', 0],
      ['setKeyboardDelay', 0],
      ['moveMouse', 10, 21],
      ['mouseToggle', 'down', 'left'],
      ['scrollMouse', 0, -2],
      ['keyToggle', 'right_shift', 'down'],
      ['keyToggle', 'a', 'down'],
      ['keyToggle', 'a', 'up'],
      ['keyToggle', 'escape', 'down'],
      ['typeString', 'é'],
      ['keyToggle', 'right_shift', 'up'],
      ['keyToggle', 'escape', 'up'],
      ['mouseToggle', 'up', 'left'],
    ]);
    expect(inj.available).toBe(false);
    await expect(inj.moveTo(0, 0)).rejects.toSatisfy(unavailable);
  });

  it('rejects keys the addon cannot press instead of pressing something else', async () => {
    const { robot } = fakeRobot();
    const inj = new NativeInjector(robot, 'darwin');
    await expect(inj.key('CapsLock', true)).rejects.toSatisfy(unavailable);
    await expect(inj.key('Power', true)).rejects.toSatisfy((e: unknown) => isAppError(e, 'invalid-input'));
  });
});
