// `gitops-env health`: real files on disk (the shared Argo CD fixtures, read in place, and literal
// temp files), output captured through CliIO, JSON shape checked exactly.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHealthCommand } from '../../src/cli/healthCommand';
import type { CliIO } from '../../src/cli/cliSupport';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';
import { requirePresent } from '../support/requirePresent';

after(removeTempDirs);

const fixtures = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'argo-health');
const expectedFile = join(fixtures, 'EXPECTED.tsv');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await runHealthCommand(argv, io);
  return { code, out, err };
}

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEALTHY_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  generation: 2
spec:
  replicas: 2
status:
  observedGeneration: 2
  replicas: 2
  updatedReplicas: 2
  availableReplicas: 2
`;

test('health --json on the Argo CD fixtures: every readable file gets the expected health', async (t) => {
  if (!requirePresent(t, 'Argo CD health fixtures (../shared/fixtures/argo-health)', expectedFile)) return;
  const expected = new Map(
    readFileSync(expectedFile, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => {
        const [file, health] = l.split('\t');
        return [join(fixtures, file), health.trim() === 'none' ? null : health.trim()] as const;
      }),
  );
  const { code, out, err } = await run(...expected.keys(), '--json');
  // statefulset-ondelete.yaml declares spec.updateStrategy twice. Like Argo CD's reader (and kubectl),
  // the last key wins: the file gets Argo CD's verdict, and a located warning says what was ignored.
  const repeated = join(fixtures, 'statefulset-ondelete.yaml');
  assert.equal(code, 0);
  assert.equal(err, `${repeated}:94:3: Key "updateStrategy" is repeated; the last value is used, as kubectl does — remove the earlier occurrence so the file says one thing\n`);
  const rows = JSON.parse(out) as Array<Record<string, unknown>>;
  assert.equal(rows.length, expected.size);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), ['file', 'kind', 'name', 'health']);
    assert.ok(expected.has(row.file as string), `unexpected file ${String(row.file)}`);
    assert.equal(row.health, expected.get(row.file as string), String(row.file));
  }
  assert.deepEqual(
    rows.map((r) => r.file),
    [...expected.keys()],
    'one row per file, in command-line order',
  );
});

test('health --json prints every object of multi-document YAML, JSON and List files, with the exact shape', async () => {
  const dir = tempDir();
  const yamlFile = write(
    dir,
    'app.yaml',
    `${HEALTHY_DEPLOYMENT}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
# an empty document is skipped
---
replicaCount: 3
`,
  );
  const jsonFile = write(
    dir,
    'live.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, spec: { restartPolicy: 'Always' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      ],
    }),
  );
  const { code, out, err } = await run('--json', yamlFile, jsonFile);
  assert.equal(err, '');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), [
    { file: yamlFile, kind: 'Deployment', name: 'web', health: 'Healthy' },
    { file: yamlFile, kind: 'ConfigMap', name: 'settings', health: null },
    { file: jsonFile, kind: 'Service', name: 'lb', health: 'Progressing' },
    { file: jsonFile, kind: 'Pod', name: 'web-1', health: 'Healthy' },
  ]);
});

test('health prints the file as given on the command line', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'envs'));
  write(dir, 'web.yaml', HEALTHY_DEPLOYMENT);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const { code, out } = await run('./envs/../web.yaml', '--json');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), [{ file: './envs/../web.yaml', kind: 'Deployment', name: 'web', health: 'Healthy' }]);
  } finally {
    process.chdir(cwd);
  }
});

test('health without --json prints an aligned table with the message column', async () => {
  const dir = tempDir();
  const file = write(
    dir,
    'mixed.yaml',
    `${HEALTHY_DEPLOYMENT}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  paused: true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
`,
  );
  const { code, out } = await run(file);
  assert.equal(code, 0);
  const w = file.length;
  assert.equal(
    out,
    [
      `${'FILE'.padEnd(w)}  KIND        NAME      HEALTH     MESSAGE`,
      `${file}  Deployment  web       Healthy`,
      `${file}  Deployment  api       Suspended  Deployment is paused`,
      `${file}  ConfigMap   settings  -`,
    ].join('\n') + '\n',
  );
});

test('a missing file is reported with its path and exit 2, and the other files are still printed', async () => {
  const dir = tempDir();
  const good = write(dir, 'good.yaml', HEALTHY_DEPLOYMENT);
  const missing = join(dir, 'missing.yaml');
  const { code, out, err } = await run(missing, good, '--json');
  assert.equal(code, 2);
  assert.equal(err, `${missing}: no such file\n`);
  assert.deepEqual(JSON.parse(out), [{ file: good, kind: 'Deployment', name: 'web', health: 'Healthy' }]);
});

test('malformed YAML is reported at its line, exit 2, and the valid documents of the file are still printed', async () => {
  const dir = tempDir();
  const file = write(
    dir,
    'broken.yaml',
    `apiVersion: v1
kind: ConfigMap
metadata: {name: a
---
${HEALTHY_DEPLOYMENT}`,
  );
  const { code, out, err } = await run(file, '--json');
  assert.equal(code, 2);
  // The unclosed flow map is found where the next document starts (line 4); the text after the
  // location is the YAML library's own wording.
  assert.ok(err.startsWith(`${file}:4:1: YAML syntax error: `), err);
  assert.equal(err.split('\n').length, 2, 'one problem line');
  assert.deepEqual(JSON.parse(out), [{ file, kind: 'Deployment', name: 'web', health: 'Healthy' }]);
});

test('a directory is refused with a located message and exit 2', async () => {
  const dir = tempDir();
  const { code, out, err } = await run(dir, '--json');
  assert.equal(code, 2);
  assert.equal(err, `${dir}: is a directory — pass the manifest files in it\n`);
  assert.deepEqual(JSON.parse(out), []);
});

test('no file arguments, or an unknown option, is a usage error with exit 2 and nothing on stdout', async () => {
  const none = await run('--json');
  assert.equal(none.code, 2);
  assert.equal(none.out, '');
  assert.match(none.err, /^gitops-env health: health needs at least one manifest file\n\nUsage: gitops-env health FILE\.\.\. \[--json\]/);
  const unknown = await run('x.yaml', '--yaml');
  assert.equal(unknown.code, 2);
  assert.equal(unknown.out, '');
  assert.match(unknown.err, /unknown option --yaml/);
});
