// Writes the sandbox's cluster, user and context into a kubeconfig file. An existing file is
// merged into, not replaced: entries with the sandbox's names are updated and everything else
// is kept, so several sandboxes (dev, staging, prod) can share one file and pointing the
// command at a real kubeconfig cannot wipe it. current-context is set only when the file had none.

import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { isRecord } from './kubeObject';

export interface KubeconfigEntry {
  contextName: string;
  server: string;
  caCertPem: string;
  token: string;
  namespace: string;
}

type Named = Record<string, unknown> & { name?: unknown };

function upsert(list: unknown, entry: Named): Named[] {
  const items = Array.isArray(list) ? list.filter(isRecord) : [];
  const index = items.findIndex((item) => item.name === entry.name);
  if (index >= 0) items[index] = entry;
  else items.push(entry);
  return items;
}

function readExisting(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (text.trim() === '') return undefined;
  const parsed: unknown = parse(text);
  if (!isRecord(parsed)) throw new Error(`${path} exists but is not a kubeconfig`);
  return parsed;
}

export function userNameFor(contextName: string): string {
  return `${contextName}-user`;
}

// Several sandbox processes (dev, staging, prod) may start at once against one file: a lock file
// made with O_EXCL serializes their read-modify-write. A lock older than 10 s is a leftover.
function withFileLock<T>(path: string, action: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) unlinkSync(lock);
      } catch {
        // gone meanwhile: retry
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return action();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already removed as stale by someone else
    }
  }
}

export function writeKubeconfig(path: string, entry: KubeconfigEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  withFileLock(path, () => writeEntries(path, entry));
}

function writeEntries(path: string, entry: KubeconfigEntry): void {
  const config = readExisting(path) ?? { apiVersion: 'v1', kind: 'Config', preferences: {} };
  const user = userNameFor(entry.contextName);
  config.clusters = upsert(config.clusters, {
    name: entry.contextName,
    cluster: {
      server: entry.server,
      'certificate-authority-data': Buffer.from(entry.caCertPem, 'utf8').toString('base64'),
    },
  });
  config.users = upsert(config.users, { name: user, user: { token: entry.token } });
  config.contexts = upsert(config.contexts, {
    name: entry.contextName,
    context: { cluster: entry.contextName, user, namespace: entry.namespace },
  });
  if (typeof config['current-context'] !== 'string' || config['current-context'] === '') config['current-context'] = entry.contextName;
  // Written beside the target and renamed, so a reader never sees half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, stringify(config), { mode: 0o600 });
  renameSync(temporary, path);
}
