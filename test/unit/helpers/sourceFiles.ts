// The source files below a folder, for tests that read the code itself (house rules, security).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Every TypeScript and JavaScript file below `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) out.push(full);
  }
  return out;
}
