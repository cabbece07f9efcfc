// `electron-forge package` makes an unpacked app (for quick local checks of the packaged build);
// installers come from electron-builder (electron-builder.json). Both set the same Electron Fuses.
// Forge's CLI cannot be installed on our build machines (a dependency is fetched from GitHub), so
// run it where the internet is reachable: `npx @electron-forge/cli package`.
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Remote Assist',
    executableName: 'remote-assist',
    appBundleId: 'org.remoteassist.app',
    icon: 'assets/icon',
    asar: true,
    // Only the built app ships: sources, tests and tooling stay out.
    ignore: (file: string) => !!file && !/^\/(dist\/(renderer|electron)|package\.json$)/.test(file) && file !== '/dist',
    protocols: [{ name: 'Remote Assist link', schemes: ['remote-assist'] }],
    // The tray icon, at resources/icons/32x32.png as in electron-builder's extraResources.
    extraResource: ['assets/icons'],
  },
  rebuildConfig: {},
  makers: [],
  plugins: [
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    }),
  ],
};

export default config;
