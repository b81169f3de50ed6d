/**
 * The import graph keeps its layers: domain/ imports nothing of ours outside domain/ and has no
 * import cycle (type-only imports count: a cycle of types is still two modules that cannot be
 * read apart); workflows/ reach activities/ by type only (the sandbox never loads them).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Import {
  /** Repository path of the importing file and of the module it imports (ours only). */
  from: string;
  to: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => `${dir}/${e.name}`);
}

/** Every import and re-export of our own modules in a file, read with the compiler's parser. */
export function importsOf(file: string, source = readFileSync(join(ROOT, file), 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Import[] = [];
  for (const node of sf.statements) {
    let spec: string | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      spec = node.moduleSpecifier.text;
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      spec = node.moduleSpecifier.text;
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      typeOnly = node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly));
    }
    if (!spec || !spec.startsWith('.')) continue;
    const target = resolve(ROOT, dirname(file), spec).replace(/\.(ts|js)$/, '');
    const isDir = existsSync(target) && statSync(target).isDirectory();
    found.push({ from: file, to: `${relative(ROOT, target).replace(/\\/g, '/')}${isDir ? '/index' : ''}.ts`, typeOnly });
  }
  return found;
}

/** A cycle in the graph, as the list of files around it, or null. */
export function findCycle(edges: Import[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const to of next.get(node) ?? []) {
      const cycle = visit(to);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of next.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const domainImports = tsFiles('domain').flatMap((f) => importsOf(f));

describe('module boundaries', () => {
  it('domain/ imports nothing of ours outside domain/', () => {
    expect(domainImports.length).toBeGreaterThan(20);
    expect(domainImports.filter((i) => !i.to.startsWith('domain/')).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('domain/ has no import cycle, type-only imports included', () => {
    expect(findCycle(domainImports)?.join(' → ') ?? null).toBeNull();
  });

  it('workflows/ reach activities/ by type only', () => {
    const imports = tsFiles('workflows').flatMap((f) => importsOf(f));
    expect(imports.some((i) => i.to.startsWith('activities/') && i.typeOnly)).toBe(true);
    expect(imports.filter((i) => i.to.startsWith('activities/') && !i.typeOnly).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('finds what it guards against: a cycle, a type import that is not one, a way out of the layer', () => {
    const a = importsOf('domain/a.ts', "import type { B } from './b';\nexport { c } from './c';");
    const b = importsOf('domain/b.ts', "import { type A, a } from './a';");
    expect(a.map((i) => [i.to, i.typeOnly])).toEqual([['domain/b.ts', true], ['domain/c.ts', false]]);
    expect(b[0]).toMatchObject({ to: 'domain/a.ts', typeOnly: false });
    expect(findCycle([...a, ...b])).toEqual(['domain/a.ts', 'domain/b.ts', 'domain/a.ts']);
    expect(importsOf('workflows/x.ts', "import { createActivities } from '../activities';")[0]).toMatchObject({ to: 'activities/index.ts', typeOnly: false });
  });
});
