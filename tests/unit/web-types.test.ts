/**
 * The pages' JavaScript is type-checked (`npm run typecheck` runs tsc over web/): every file asks
 * for it with `// @ts-check`, and no JSDoc type says `any`, which would switch the check off for
 * whatever flows through it (what the server or localStorage gave is `unknown`, narrowed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WEB = fileURLToPath(new URL('../../web', import.meta.url));

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scripts(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

/** The `{…}` type expressions inside a file's JSDoc comments (braces nest: `{{a: string}}`). */
export function jsDocTypes(source: string): string[] {
  const types: string[] = [];
  for (const comment of source.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    for (let i = 0; i < comment.length; i++) {
      if (comment[i] !== '{') continue;
      let depth = 0;
      let j = i;
      for (; j < comment.length; j++) {
        if (comment[j] === '{') depth++;
        else if (comment[j] === '}' && --depth === 0) break;
      }
      types.push(comment.slice(i, j + 1));
      i = j;
    }
  }
  return types;
}

describe('the pages’ JavaScript is type-checked', () => {
  const files = scripts(WEB);

  it('finds the JSDoc types it reads', () => {
    expect(jsDocTypes('/** @param {Record<string, {a: any}>} x and {b} */ /* {c} */')).toEqual(['{Record<string, {a: any}>}', '{b}']);
    expect(files.length).toBeGreaterThan(40);
  });

  it('every file asks for the check', () => {
    const unchecked = files.filter((f) => !readFileSync(f, 'utf8').startsWith('// @ts-check')).map((f) => relative(WEB, f));
    expect(unchecked).toEqual([]);
  });

  it('no JSDoc type is `any`', () => {
    const found = files.flatMap((f) =>
      jsDocTypes(readFileSync(f, 'utf8'))
        .filter((type) => /\bany\b/.test(type))
        .map((type) => `${relative(WEB, f)}: ${type}`),
    );
    expect(found).toEqual([]);
  });
});
