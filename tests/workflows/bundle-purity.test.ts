/**
 * Workflow code must stay deterministic and sandbox-pure: it bundles on its own, reaches
 * activities only through types, and a forbidden import fails the bundle.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../temporal/create-worker';

const WORKFLOWS_DIR = dirname(WORKFLOWS_PATH);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const noop = () => undefined;
const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

describe('workflow bundle', () => {
  it('bundles the workflows without Node built-ins or I/O libraries', async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger });
    expect(bundle.code).toContain('hazardWorkflow');
    // No database driver, ORM or HTTP framework may reach the sandbox.
    for (const lib of ['pg-pool', 'drizzle-orm', 'express']) expect(bundle.code).not.toContain(`node_modules/${lib}/`);
    // Validation stays at the edges: the rules reach workflows as plain types and defaults, without zod.
    expect(bundle.code).not.toContain('node_modules/zod/');
  });

  it('imports activities and other I/O modules by type only', async () => {
    const files = (await readdir(WORKFLOWS_DIR)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const source = await readFile(join(WORKFLOWS_DIR, file), 'utf8');
      const valueImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
      for (const spec of valueImports) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^(@temporalio\/(workflow|common)|\.\/|\.\.\/domain\/)/);
      }
    }
  });

  it('fails to bundle a workflow that imports a Node built-in', async () => {
    const dir = await mkdtemp(join(ROOT, 'workflows', '.purity-'));
    try {
      const path = join(dir, 'impure.ts');
      await writeFile(path, "import { readFileSync } from 'node:fs';\nexport async function impure() { return readFileSync('/etc/hostname', 'utf8'); }\n");
      await expect(bundleWorkflowCode({ workflowsPath: path, logger })).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
