import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Facts about the installed pumphouse package. A leaf module (node built-ins only), so that
 * every layer may use it. Found by walking up from this module, so `schemas/` and the version
 * resolve the same whether the code runs from src/ (tsx) or from dist/ (the build).
 */
let root: string | undefined;
let version: string | undefined;

/** The directory holding pumphouse's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pumphouse') {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`pumphouse package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The package's `schemas/` folder (JSON Schemas read at run time). */
export function schemasDir(): string {
  return join(packageRoot(), 'schemas');
}

/** The running tool's version, written into every plan, state file and lock. */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
