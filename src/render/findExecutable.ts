// Finds a tool on PATH the way a shell would, without starting one.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `name` on PATH (or `name` itself when it is a path to an executable); null when absent. */
export async function findExecutable(name: string, searchPath = process.env.PATH ?? ''): Promise<string | null> {
  if (isAbsolute(name) || name.includes('/')) return (await isExecutableFile(name)) ? name : null;
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}
