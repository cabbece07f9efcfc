import fs from 'node:fs';
import { spawn } from 'node:child_process';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

/** The first Chromium-family browser found on this machine, or null. */
export function findChromium(exists: (p: string) => boolean = fs.existsSync): string | null {
  return CANDIDATES.find((p) => exists(p)) ?? null;
}

/**
 * Opens the page as an app window in Chromium (screen capture needs a Chromium-family browser).
 * Returns false when none is installed, so the caller prints the address instead.
 */
export function openInChromium(url: string, profileDir: string): boolean {
  const bin = findChromium();
  if (!bin) return false;
  const child = spawn(bin, [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--disable-background-networking', '--disable-sync'], {
    stdio: 'ignore',
    detached: true,
  });
  child.on('error', () => {});
  child.unref();
  return true;
}
