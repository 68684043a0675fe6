// Big inputs from the command line: manifests up to 64 MB are read one document at a time (with
// correct lines), a larger one is refused by name and limit without being read, a file that grows
// while it is read is refused instead of filling memory, and a folder of 20,000 small files renders.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { BY_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, parseManifests } from '../../src/core/manifest';
import { directoryView } from '../../src/git/directoryView';
import { renderEnvironment } from '../../src/render/renderEnvironment';
import { runProcess } from './helpers/processRun';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A CRD-bundle-like file: many ConfigMaps and some large documents, `bytes` long at least. */
function bigManifest(bytes: number): { text: string; documents: number } {
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  const filler = 'x'.repeat(200);
  while (size < bytes) {
    const doc =
      i % 50 === 0
        ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-${i}\n  namespace: bench\ndata:\n${Array.from({ length: 400 }, (_, k) => `  key-${k}: "${filler}"`).join('\n')}\n`
        : `# document ${i}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: bench\n  labels:\n    app: shop\ndata:\n  index: "${i}"\n  note: |\n    line one of ${i}\n    line two\n`;
    parts.push(doc);
    size += doc.length + 4;
    i++;
  }
  return { text: parts.join('---\n'), documents: i };
}

test('a 24 MB manifest is read one document at a time: every object, on the lines where the file has it', () => {
  const { text, documents } = bigManifest(24 * 1024 * 1024);
  assert.ok(text.length > BY_DOCUMENT_BYTES && text.length < MAX_MANIFEST_BYTES);
  const result = parseManifests(text, 'bundle.yaml');
  assert.deepEqual(result.problems, []);
  assert.equal(result.manifests.length, documents);
  const lines = text.split('\n');
  result.manifests.forEach((m, i) => {
    assert.match(lines[m.kindRange.start.line - 1], /^kind: ConfigMap$/, `${m.id?.name}: kind line`);
    // Field ranges are parsed on demand, one document each: a sample across the file.
    if (i % 97 !== 0) return;
    const name = m.id?.name as string;
    assert.equal(lines[m.rangeOf('/metadata/name').start.line - 1], `  name: ${name}`);
  });
  // A syntax error deep in the file is located on its own line, and the other documents still read.
  const victim = `cm-${Math.floor(documents * 0.8) | 1}`;
  const broken = text.replace(`name: ${victim}\n`, `name: [${victim}\n`);
  assert.notEqual(broken, text);
  const lineOfError = broken.split('\n').findIndex((l) => l.includes(`[${victim}`)) + 1;
  const reread = parseManifests(broken, 'bundle.yaml');
  assert.equal(reread.manifests.length, documents - 1);
  assert.ok(reread.problems.length > 0);
  for (const problem of reread.problems) {
    const line = problem.location?.range?.start.line ?? 0;
    // Inside the broken document (the flow sequence runs to its end), never elsewhere in the file.
    assert.ok(line >= lineOfError && line <= lineOfError + 12, `${problem.message} at ${line}, error on ${lineOfError}`);
  }
});

test('gitops-env health and drift read a 24 MB file with bounded memory', async () => {
  const dir = tempDir('gitops-big-');
  const file = join(dir, 'bundle.yaml');
  const { text, documents } = bigManifest(24 * 1024 * 1024);
  writeFileSync(file, text);
  const health = await runProcess(process.execPath, [CLI, 'health', file, '--json']);
  assert.equal(health.code, 0, health.stderr);
  assert.equal((JSON.parse(health.stdout) as unknown[]).length, documents);
  const drift = await runProcess(process.execPath, [CLI, 'drift', '--desired', file, '--live', file, '--json']);
  assert.equal(drift.code, 0, drift.stderr);
  assert.equal((JSON.parse(drift.stdout) as { resources: unknown[] }).resources.length, documents);
  // The text is in memory twice at most (bytes and string) plus one document's parse at a time.
  assert.ok(drift.peakMb < 900, `drift peak ${drift.peakMb.toFixed(0)} MB`);
});

test('a 200 MB manifest is refused by name and limit, at once and without being read', async () => {
  const dir = tempDir('gitops-big-');
  const file = join(dir, 'huge.yaml');
  // Sparse: 200 MB long, no disk used; reading it would still cost 200 MB of memory.
  const fd = openSync(file, 'w');
  ftruncateSync(fd, 200 * 1024 * 1024);
  closeSync(fd);
  for (const args of [['health', file, '--json'], ['drift', '--desired', file, '--live', file, '--json']]) {
    const run = await runProcess(process.execPath, [CLI, ...args]);
    assert.equal(run.code, 2, args[0]);
    assert.ok(run.stderr.includes(`${file}: file is 200.0 MB; manifests over 64 MB are not read`), run.stderr);
    assert.ok(run.peakMb < 150, `${args[0]} peak ${run.peakMb.toFixed(0)} MB: the file was not loaded`);
  }
  // The folder reader says the same in place of the file's objects.
  writeFiles(dir, { 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' });
  const rendered = await renderEnvironment({ view: directoryView(dir), path: null, trusted: false });
  assert.deepEqual(rendered.objects.map((o) => o.id.name), ['ok']);
  const problem = rendered.problems.find((p) => p.location?.file === 'huge.yaml');
  assert.match(problem?.message ?? '', /huge\.yaml is 200\.0 MB; manifests over 64 MB are not read/);
});

test('a file that grows while it is read (a pipe streaming 80 MB) is refused, not loaded', async () => {
  const dir = tempDir('gitops-big-');
  const fifo = join(dir, 'stream.yaml');
  execFileSync('mkfifo', [fifo]);
  // The writer streams YAML until the reader closes the pipe.
  const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(fifo)},'w');const chunk=Buffer.from('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: a\\n---\\n'.repeat(20000));try{for(let i=0;i<1000;i++)fs.writeSync(fd,chunk)}catch{}`], { stdio: 'ignore' });
  const run = await runProcess(process.execPath, [CLI, 'health', fifo, '--json']);
  writer.kill();
  assert.equal(run.code, 2);
  assert.ok(run.stderr.includes(`${fifo}: file grew past 64 MB while it was read`), run.stderr);
  assert.ok(run.peakMb < 250, `peak ${run.peakMb.toFixed(0)} MB`);
});

test('a folder of 20,000 small manifests renders every object', async () => {
  const dir = tempDir('gitops-big-');
  const files: Record<string, string> = {};
  for (let i = 0; i < 20_000; i++) files[`m/${Math.floor(i / 1000)}/cm-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  i: "${i}"\n`;
  writeFiles(dir, files);
  const started = performance.now();
  const rendered = await renderEnvironment({ view: directoryView(dir), path: null, trusted: false });
  const ms = performance.now() - started;
  assert.equal(rendered.objects.length, 20_000);
  assert.deepEqual(rendered.problems, []);
  // A correctness test, not a benchmark: only a hang or a quadratic walk fails this.
  assert.ok(ms < 60_000, `${ms.toFixed(0)} ms`);
});
