/**
 * Reads a served PDF back as poppler's tools do (Debian's poppler-utils: `pdftotext`, `pdffonts`;
 * the CI script installs them), so tests compare the Chinese text a reader would copy out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(bytes: Uint8Array, run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'duban-pdf-'));
  const path = join(dir, 'doc.pdf');
  try {
    writeFileSync(path, bytes);
    return run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of every page, whitespace removed (layout spaces and line breaks are not content). */
export function pdfText(bytes: Uint8Array): string {
  return withFile(bytes, (path) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })).replace(/\s+/g, '');
}

/** pdffonts' rows: each font's name and whether it is embedded and a subset. */
export function pdfFonts(bytes: Uint8Array): Array<{ name: string; embedded: boolean; subset: boolean }> {
  const out = withFile(bytes, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name … emb sub uni object ID: the three flags sit before the last two columns.
      const [emb, sub] = cols.slice(-5, -3);
      return { name: cols[0]!, embedded: emb === 'yes', subset: sub === 'yes' };
    });
}

/** The number of pages (pdfinfo). */
export function pdfPages(bytes: Uint8Array): number {
  const out = withFile(bytes, (path) => execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1] ?? 0);
}
