import { builtinModules } from 'node:module';
import path from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * One Vite configuration, three builds selected by `--mode`:
 * - `renderer` (default): the page, to dist/renderer (served by the browser host and by `app://`);
 * - `main`: Electron's main process, to dist/electron/main.cjs;
 * - `preload`: the sandboxed preload, to dist/electron/preload.cjs (one file; sandboxed preloads
 *   cannot load other modules).
 * `npm run build` (scripts/build.mjs) runs all three.
 */
const root = import.meta.dirname;
const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

function nodeBuild(entry: string, fileName: string, external: (string | RegExp)[]): UserConfig {
  return {
    root,
    publicDir: false,
    build: {
      outDir: path.join(root, 'dist/electron'),
      emptyOutDir: false,
      target: 'node20',
      ssr: true,
      sourcemap: true,
      minify: false,
      rollupOptions: {
        input: path.join(root, entry),
        external,
        output: { format: 'cjs', entryFileNames: fileName, codeSplitting: false },
      },
    },
    ssr: { noExternal: true },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'main') return nodeBuild('src-main/electron/main.ts', 'main.cjs', [...nodeExternals, /^@roamhq\/wrtc/, 'x11', 'ws']);
  if (mode === 'preload') return nodeBuild('src-main/electron/preload.ts', 'preload.cjs', ['electron']);
  return {
    root: path.join(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: path.join(root, 'dist/renderer'),
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: true,
      // No inline scripts or styles: the CSP forbids them.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
    define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  };
});
