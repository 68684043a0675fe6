// The CustomResourceDefinitions among an environment's files, so its custom resources are checked
// against their own schema offline (as `gitops-env validate` reads CRDs next to the manifests).
// Bounded: hidden folders, node_modules and Helm charts are skipped, big files and deep trees too;
// only files that declare `kind: CustomResourceDefinition` are parsed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifests } from '../../core/manifest';
import type { EnvironmentCandidate } from './fileEnvironment';

const MAX_FILES = 5000;
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 12;
const CRD_KIND = /^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*(#.*)?$/m;

type Json = Record<string, unknown>;

export async function environmentCrds(environment: EnvironmentCandidate): Promise<Json[]> {
  const roots = environment.folders.length === 0 ? [environment.repoRoot] : environment.folders.map((folder) => join(environment.repoRoot, folder));
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || files.length >= MAX_FILES) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (entries.some((entry) => entry.name === 'Chart.yaml')) return;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name) && files.length < MAX_FILES) files.push(path);
    }
  };
  for (const root of roots) await walk(root, 0);
  const out: Json[] = [];
  for (const file of files) {
    const size = await stat(file).then((s) => s.size, () => Infinity);
    if (size > MAX_FILE_BYTES) continue;
    const text = await readFile(file, 'utf8').catch(() => '');
    if (!CRD_KIND.test(text)) continue;
    for (const manifest of parseManifests(text, file).manifests) {
      const object = manifest.object;
      if (object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('apiextensions.k8s.io/')) out.push(object);
    }
  }
  return out;
}
