import { describe, expect, it } from 'vitest';
import { browserPickedScreens, listedScreens } from './screen-source';

describe('screen sources', () => {
  it('remembers a chosen screen only if it exists', async () => {
    const src = listedScreens(async () => [
      { id: 'screen:1', name: 'Built-in display' },
      { id: 'screen:2', name: 'DELL U2720Q' },
    ]);
    expect(src.chosen()).toBeNull();
    await src.choose('screen:2');
    expect(src.chosen()).toBe('screen:2');
    await expect(src.choose('screen:9')).rejects.toMatchObject({ code: 'not-found' });
    expect(src.chosen()).toBe('screen:2');
  });
  it('the browser host leaves the choice to the browser', async () => {
    expect(browserPickedScreens.pickedByBrowser).toBe(true);
    expect(await browserPickedScreens.list()).toEqual([]);
    await expect(browserPickedScreens.choose('x')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
