// Guards the house rules from ARCHITECTURE.md and STYLE.md: the core stays free of VS Code and I/O,
// no shell anywhere, every declared command is registered and every registered command declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { REPO_ROOT as root, sourceFiles } from './helpers/sourceFiles';


const importPattern = /(?:from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\))/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test('nothing under src/core imports vscode or does I/O', () => {
  const forbidden = /^(vscode|fs|node:fs|fs\/promises|node:fs\/promises|child_process|node:child_process|net|node:net|http|node:http|https|node:https|simple-git|@kubernetes\/client-node)$/;
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'src', 'core'))) {
    for (const spec of importsOf(file)) {
      if (forbidden.test(spec)) offenders.push(`${relative(root, file)} imports ${spec}`);
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : undefined;
      if (target && !target.startsWith(join(root, 'src', 'core'))) {
        // A relative import leaving src/core points at an adapter or the UI.
        offenders.push(`${relative(root, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('only src/ui and the composition root import vscode', () => {
  const offenders: string[] = [];
  for (const layer of ['core', 'git', 'cluster', 'render', 'cli', 'sandbox']) {
    for (const file of sourceFiles(join(root, 'src', layer))) {
      if (importsOf(file).includes('vscode')) offenders.push(relative(root, file));
    }
  }
  assert.deepEqual(offenders, []);
});

test('no shell: no exec/execSync and no shell: true anywhere in src', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (/\bexec(Sync)?\s*\(/.test(text.replace(/\.exec\(/g, ''))) offenders.push(`${relative(root, file)}: exec()`);
    if (/shell\s*:\s*true/.test(text)) offenders.push(`${relative(root, file)}: shell: true`);
    // The import clause itself, so a property named exec elsewhere (a kubeconfig user's exec plugin) is not mistaken for it.
    for (const clause of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"](?:node:)?child_process['"]/g)) {
      if (/(^|[\s,])(exec|execSync)(\s+as\s+\w+)?\s*(,|$)/.test(clause[1].trim())) offenders.push(`${relative(root, file)}: imports exec`);
    }
    if (/import\s+\*\s+as\s+\w+\s+from\s*['"](?:node:)?child_process['"]/.test(text) && /\.\s*exec(Sync)?\s*\(/.test(text)) offenders.push(`${relative(root, file)}: calls child_process exec`);
  }
  assert.deepEqual(offenders, []);
});

test('every command in package.json is registered, and every registered command is declared', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
  const declared = new Set(pkg.contributes.commands.map((c) => c.command));
  const idsText = readFileSync(join(root, 'src', 'ui', 'ids.ts'), 'utf8');
  const commandsBlock = idsText.slice(idsText.indexOf('export const Commands'), idsText.indexOf('} as const', idsText.indexOf('export const Commands')));
  const idByKey = new Map([...commandsBlock.matchAll(/(\w+):\s*'([^']+)'/g)].map((m) => [m[1], m[2]]));
  const registered = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/registerCommand\(\s*Commands\.(\w+)/g)) {
      const id = idByKey.get(m[1]);
      assert.ok(id, `Commands.${m[1]} is not defined in ids.ts`);
      registered.add(id);
    }
    for (const m of text.matchAll(/registerCommand\(\s*'([^']+)'/g)) registered.add(m[1]);
  }
  assert.deepEqual([...declared].filter((c) => !registered.has(c)).sort(), [], 'declared but not registered');
  assert.deepEqual([...registered].filter((c) => !declared.has(c)).sort(), [], 'registered but not declared');
  assert.deepEqual([...idByKey.values()].filter((c) => !declared.has(c)).sort(), [], 'in ids.ts but not declared');
});

test('package.json: specific activation events, category GitOps, identity', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    displayName: string;
    activationEvents: string[];
    contributes: { commands: Array<{ category?: string }> };
  };
  assert.equal(pkg.name, 'gitops-environments');
  assert.equal(pkg.displayName, 'GitOps Environments');
  assert.ok(pkg.activationEvents.length > 0);
  assert.ok(!pkg.activationEvents.includes('*'));
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'GitOps');
});

test('no default exports and no barrel index files in src', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    if (/[/\\]index\.ts$/.test(file)) offenders.push(`${relative(root, file)}: barrel file`);
    if (/^export default /m.test(readFileSync(file, 'utf8'))) offenders.push(`${relative(root, file)}: default export`);
  }
  assert.deepEqual(offenders, []);
});

test('the extension bundle leaves the Kubernetes client to the lazily loaded cluster bundle', async () => {
  // Activation loads dist/extension.js; @kubernetes/client-node (and its generated models, which the
  // validator reads) must arrive only through dist/cluster.js when a cluster feature first runs.
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [join(root, 'src', 'extension.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, external: ['vscode', './cluster.js'], logLevel: 'silent' });
  const pulledIn = Object.keys(result.metafile.inputs).filter((file) => file.includes('node_modules/@kubernetes/client-node/'));
  assert.deepEqual(pulledIn.slice(0, 5), [], 'imported from the extension bundle (find who imports it: esbuild --metafile)');
});
