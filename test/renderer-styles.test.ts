// A stylesheet no module imports is silently left out of the build: the session window once ran
// without its own (side panel squeezing the picture, transfers run together) and every test passed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const rendererDir = path.resolve(import.meta.dirname, '..', 'src-renderer');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && keep(e.name)).map((e) => path.join(e.parentPath, e.name));
}

/** Every stylesheet some renderer module imports, as absolute paths. */
function importedStylesheets(): Set<string> {
  const imported = new Set<string>();
  for (const file of filesUnder(rendererDir, (n) => /\.(ts|tsx)$/.test(n))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import\s+['"](\.{1,2}\/[^'"]+\.css)['"];?$/gm)) imported.add(path.resolve(path.dirname(file), m[1]!));
  }
  return imported;
}

describe('renderer stylesheets', () => {
  it('every .css file under src-renderer is imported by a module (else the build drops it)', () => {
    const sheets = filesUnder(rendererDir, (n) => n.endsWith('.css'));
    expect(sheets.length).toBeGreaterThan(1);
    const imported = importedStylesheets();
    expect(sheets.filter((s) => !imported.has(s)).map((s) => path.relative(rendererDir, s))).toEqual([]);
  });
});
