import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** True when `path` is a regular file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of `command` as the shell would find it on PATH, plus any `extraDirs`
 * searched after PATH (e.g. /usr/local/go/bin, where Go's tarball installs but which
 * is often missing from non-login shells). Undefined when absent.
 */
export function findOnPath(command: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return isAbsolute(candidate) ? candidate : resolve(candidate);
  }
  return undefined;
}

/**
 * Resolves a path given through an environment variable, or throws an error naming
 * the variable: a wrong explicit setting must fail loudly, not fall through to a build.
 */
export function fromEnv(variable: string): string | undefined {
  const value = process.env[variable];
  if (!value) return undefined;
  const path = resolve(value);
  if (!isExecutable(path)) {
    throw new Error(`${variable}=${value} does not point to an executable file. Fix the path or unset ${variable}.`);
  }
  return path;
}
