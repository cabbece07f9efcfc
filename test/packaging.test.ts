// The installers cannot be built on our machines (Electron's binaries cannot be downloaded), so
// this checks their configuration instead: electron-builder.json against electron-builder's own
// JSON schema and validator, the file association, the link scheme, the fuses (and that
// forge.config.ts sets the same), and the icons with their real pixel sizes.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import { INVITATION_EXTENSION } from '../src-main/app/launch-action';
import { LINK_SCHEME } from '../src-main/app/launch-link';

const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8')) as Record<string, unknown>;
const builder = read('electron-builder.json') as {
  appId: string;
  productName: string;
  executableName: string;
  extraMetadata: { desktopName: string };
  files: string[];
  extraResources: { from: string; to: string }[];
  icon: string;
  electronFuses: Record<string, boolean>;
  fileAssociations: { ext: string; mimeType: string; name: string; icon?: string }[];
  protocols: { schemes: string[] }[];
  linux: { target: string[]; icon: string; mimeTypes?: string[] };
  deb: { depends: string[] };
  win: { target: string[]; icon: string };
  mac: { target: string[] };
};
const pkg = read('package.json') as { main: string; homepage?: string; author?: { email?: string } | string };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`).toBe(true);
  expect(b.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The image sizes inside a Windows .ico (a width byte of 0 means 256). */
function icoSizes(file: string): number[] {
  const b = fs.readFileSync(file);
  expect(b.readUInt16LE(0)).toBe(0);
  expect(b.readUInt16LE(2)).toBe(1);
  return Array.from({ length: b.readUInt16LE(4) }, (_, i) => b[6 + i * 16]! || 256);
}

describe('electron-builder.json', () => {
  it("validates against electron-builder's JSON schema (app-builder-lib/scheme.json)", () => {
    const schema = read('node_modules/app-builder-lib/scheme.json');
    const ajv = new Ajv({ allErrors: true });
    const valid = ajv.compile(schema);
    expect(valid(builder), ajv.errorsText(valid.errors)).toBe(true);
    // The check bites: a misspelt option is refused.
    expect(valid({ ...builder, fileAsociations: [] })).toBe(false);
    expect(valid({ ...builder, nsis: { oneClick: 'yes' } })).toBe(false);
    expect(valid({ ...builder, electronFuses: { ...builder.electronFuses, runAsNodee: false } })).toBe(false);
  });

  it("passes electron-builder's own configuration check", async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    await expect(validateConfiguration(builder as unknown as Parameters<typeof validateConfiguration>[0], { isEnabled: false, add() {} } as unknown as Parameters<typeof validateConfiguration>[1])).resolves.toBeUndefined();
  });

  it('builds deb and AppImage, NSIS and dmg, as one app id and product name', () => {
    expect(builder.appId).toBe('org.remoteassist.app');
    expect(builder.productName).toBe('Remote Assist');
    expect(builder.linux.target).toEqual(['deb', 'AppImage']);
    expect(builder.win.target).toEqual(['nsis']);
    expect(builder.mac.target).toEqual(['dmg']);
    // Electron's app id on Linux (desktopName) matches the installed remote-assist.desktop, so the
    // desktop links windows and the tray icon to the app.
    expect(builder.extraMetadata.desktopName).toBe(`${builder.executableName}.desktop`);
    // The packaged files hold what package.json's "main" points to.
    expect(builder.files).toContain('dist/electron/**');
    expect(pkg.main).toMatch(/^dist\/electron\//);
  });

  it('associates .rainvite files and the remote-assist: scheme with the names the code expects', () => {
    expect(builder.fileAssociations).toHaveLength(1);
    const [fa] = builder.fileAssociations;
    expect(`.${fa!.ext}`).toBe(INVITATION_EXTENSION);
    expect(fa!.mimeType).toBe('application/x-remote-assist-invitation');
    // No per-type icon: macOS would need an .icns there and stop the build; the app icon is used.
    expect(fa!.icon).toBeUndefined();
    expect(builder.protocols.flatMap((p) => p.schemes)).toEqual([LINK_SCHEME]);
    // electron-builder adds both MIME types to the .desktop file itself; listing them again duplicates them.
    expect(builder.linux.mimeTypes).toBeUndefined();
  });

  it('the deb installs what X11 control and e-mail need, alongside what Electron needs', () => {
    for (const dep of ['libxtst6', 'xdg-utils', 'libgtk-3-0', 'libnss3']) expect(builder.deb.depends).toContain(dep);
  });

  it('turns the risky Electron fuses off and asar integrity on', () => {
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('ships the tray icon where the app looks for it (resources/icons/32x32.png)', () => {
    expect(builder.extraResources).toContainEqual({ from: 'assets/icons/32x32.png', to: 'icons/32x32.png' });
    expect(pngSize(path.join(root, 'assets/icons/32x32.png'))).toEqual({ width: 32, height: 32 });
  });

  const noDebMetadata = !pkg.homepage || typeof pkg.author !== 'object' || !pkg.author.email;
  if (noDebMetadata) console.log('skipping the deb metadata check: package.json has no "homepage" and "author": {"name", "email"}, which electron-builder requires for a .deb (the report asks for them)');
  it.skipIf(noDebMetadata)('has the package metadata a .deb needs (homepage, author e-mail)', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });
});

describe('forge.config.ts', () => {
  it('sets the same fuses as electron-builder.json, and ships the tray icon the same way', async () => {
    const { default: forge } = (await import('../forge.config')) as { default: { plugins: { name: string; fusesConfig?: Record<string, unknown> }[]; packagerConfig: { extraResource?: string[]; protocols?: { schemes: string[] }[] } } };
    const fuses = forge.plugins.find((p) => p.name === 'fuses')?.fusesConfig;
    expect(fuses).toBeDefined();
    const byName = Object.fromEntries(
      Object.entries(fuses!)
        .filter(([k]) => /^\d+$/.test(k))
        .map(([k, v]) => {
          const name = FuseV1Options[Number(k)]!;
          return [name.charAt(0).toLowerCase() + name.slice(1), v];
        }),
    );
    expect(byName).toEqual(builder.electronFuses);
    expect(forge.packagerConfig.extraResource).toContain('assets/icons');
    expect(forge.packagerConfig.protocols?.flatMap((p) => p.schemes)).toEqual([LINK_SCHEME]);
  });
});

describe('icons', () => {
  it('Linux: every assets/icons/NxN.png is N×N, from 16 to 512', () => {
    const dir = path.join(root, builder.linux.icon);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
    const sizes = files.map((f) => {
      const m = /^(\d+)x(\d+)\.png$/.exec(f);
      expect(m, f).not.toBeNull();
      expect(pngSize(path.join(dir, f)), f).toEqual({ width: Number(m![1]), height: Number(m![2]) });
      return Number(m![1]);
    });
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(sizes).toContain(n);
  });

  it('macOS: the app icon is a square PNG of at least 512 px (electron-builder makes the .icns from it)', () => {
    const { width, height } = pngSize(path.join(root, builder.icon));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('Windows: the .ico holds a 256 px image (NSIS and electron-builder require it) and the small sizes', () => {
    const sizes = icoSizes(path.join(root, builder.win.icon));
    for (const n of [16, 32, 48, 256]) expect(sizes).toContain(n);
  });
});
