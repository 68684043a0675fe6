// Validation before the pull request: (a) `gitops-env validate` of 1,000 objects offline, a fresh
// process per run (bundled schemas); (b) the same files through `kubectl apply --dry-run=server -f`
// against the sandbox (which validates with the same rules), a fresh process too; (c) the editor's
// diagnostics after a one-line edit of a 5,000-line manifest: the provider's own path
// (ValidationEngine → incremental validator → catalog from the generated schema asset), without
// VS Code's DiagnosticCollection call. Targets: (a) ≤ 300 ms, (a) ≥ 10× faster than (b), (c) ≤ 20 ms.
//
//   node --import tsx bench/validateBench.ts     on its own (needs dist/: npm run build)
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchemaAsset, SchemaAssetCatalog } from '../src/core/validation/schemaAsset';
import { ValidationCatalogs } from '../src/ui/validation/validationCatalogs';
import { VALIDATION_DEBOUNCE_MS, ValidationEngine } from '../src/ui/validation/validationEngine';
import { median, type BenchRow } from './benchTable';
import { scaledManifests } from './cliBench';
import { startSandboxProcess } from './driftBench';
import { runProcess } from '../test/integration/helpers/processRun';
import { removeTempDirs, tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';
import { demoDeployments, joinDocuments } from '../test/unit/helpers/bigManifest';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const ASSET = join(__dirname, '..', 'dist', 'kubernetes-schemas.json');
const OBJECTS = 1000;
const EDIT_DOCUMENTS = 208;

export interface ValidateBenchResult {
  objects: number;
  oursMs: number[];
  kubectlMs: number[];
  editLines: number;
  editMs: number[];
}

/** The editor's path for one document of `documents` Deployments, timed per edit. */
function measureEditorDiagnostics(edits: number): { lines: number; times: number[] } {
  const asset = new SchemaAssetCatalog(parseSchemaAsset(readFileSync(ASSET, 'utf8')));
  const catalogs = new ValidationCatalogs({ builtin: () => ({ catalog: asset, describe: asset.describe }), clusterDocuments: () => Promise.reject(new Error('no cluster')), environmentCrds: () => Promise.resolve([]) }, () => undefined);
  const engine = new ValidationEngine(catalogs);
  const environment = { key: 'bench#dev', name: 'dev', repoRoot: '/bench', folders: ['envs/dev'], context: null };
  const documents = demoDeployments(EDIT_DOCUMENTS, () => ({ replicas: 2, namespace: 'shop', resources: true }));
  let text = joinDocuments(documents);
  const uri = 'file:///bench/envs/dev/all.yaml';
  // The document as opened (every object validated once), then one-line edits, each in another object.
  const first = engine.validate(uri, text, environment);
  if (first.length !== 0) throw new Error(`the clean manifest has ${first.length} problems: ${first[0].message}`);
  const times: number[] = [];
  for (let e = 0; e < edits; e++) {
    const i = (e * 13) % EDIT_DOCUMENTS;
    const policy = e % 2 === 0 ? 'Sometimes' : 'Always';
    documents[i] = documents[i].replace(/\n {10}image:/, `\n          imagePullPolicy: ${policy}\n          image:`);
    text = joinDocuments(documents);
    const started = performance.now();
    const diagnostics = engine.validate(uri, text, environment);
    times.push(performance.now() - started);
    if (policy === 'Sometimes' && !diagnostics.some((d) => d.message.includes('"Sometimes"'))) throw new Error('the edit was not reported');
    documents[i] = documents[i].replace(`\n          imagePullPolicy: ${policy}`, '');
    text = joinDocuments(documents);
    engine.validate(uri, text, environment);
  }
  return { lines: text.split('\n').length, times };
}

export async function measureValidate(runs = 5, kubectlRuns = 3, edits = 31): Promise<ValidateBenchResult> {
  const root = tempDir('gitops-validate-bench-');
  const dir = join(root, 'manifests');
  const kubeconfig = join(root, 'kubeconfig');
  writeFiles(dir, scaledManifests(OBJECTS));
  const editor = measureEditorDiagnostics(edits);
  const result: ValidateBenchResult = { objects: OBJECTS, oursMs: [], kubectlMs: [], editLines: editor.lines, editMs: editor.times };
  for (let i = 0; i < runs; i++) {
    const run = await runProcess(process.execPath, [CLI, 'validate', dir, '--json']);
    if (run.code !== 0) throw new Error(`gitops-env validate exited ${String(run.code)}: ${run.stdout.slice(0, 1000)}${run.stderr.slice(0, 1000)}`);
    const objects = (JSON.parse(run.stdout) as { objects: number }).objects;
    if (objects !== OBJECTS) throw new Error(`gitops-env validate read ${objects} objects, not ${OBJECTS}`);
    result.oursMs.push(run.ms);
  }
  mkdirSync(join(root, 'empty'));
  const sandbox = await startSandboxProcess(kubeconfig, join(root, 'empty'));
  try {
    for (let i = 0; i < kubectlRuns; i++) {
      const run = await runProcess('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'apply', '--dry-run=server', '-f', dir, '--recursive']);
      if (run.code !== 0) throw new Error(`kubectl apply --dry-run=server exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
      const lines = run.stdout.split('\n').filter((line) => line.includes('(server dry run)')).length;
      if (lines !== OBJECTS) throw new Error(`kubectl dry-ran ${lines} objects, not ${OBJECTS}`);
      result.kubectlMs.push(run.ms);
    }
  } finally {
    if (sandbox.exitCode === null) {
      const exited = new Promise<void>((resolve) => sandbox.once('exit', () => resolve()));
      sandbox.kill('SIGTERM');
      await exited;
    }
  }
  return result;
}

export function validateBenchRows(result: ValidateBenchResult): BenchRow[] {
  const ours = median(result.oursMs);
  const kubectl = median(result.kubectlMs);
  const edit = median(result.editMs);
  const objects = result.objects.toLocaleString('en-US');
  return [
    { figure: `gitops-env validate, ${objects} objects offline (bundled schemas, fresh process)`, target: '≤ 300 ms', measured: ours, unit: 'ms', pass: ours <= 300 },
    {
      figure: `gitops-env validate vs kubectl apply --dry-run=server of the same ${objects} objects (sandbox, fresh processes)`,
      target: '≥ 10× faster than kubectl',
      measured: ours,
      unit: 'ms',
      peer: { name: 'kubectl apply --dry-run=server -f', measured: kubectl },
      pass: ours * 10 <= kubectl,
    },
    { figure: `Editor diagnostics after a one-line edit of a ${result.editLines.toLocaleString('en-US')}-line manifest (validation of the edited document)`, target: '≤ 20 ms', measured: edit, unit: 'ms', pass: edit <= 20 },
    {
      figure: `Editor diagnostics shown after the last keystroke (${VALIDATION_DEBOUNCE_MS} ms debounce + validation), ${result.editLines.toLocaleString('en-US')}-line manifest`,
      target: '≤ 150 ms',
      measured: VALIDATION_DEBOUNCE_MS + edit,
      unit: 'ms',
      pass: VALIDATION_DEBOUNCE_MS + edit <= 150,
    },
  ];
}

if (require.main === module) {
  void measureValidate()
    .then((result) => {
      console.log(JSON.stringify({ ours: result.oursMs, kubectl: result.kubectlMs, edit: result.editMs.map((ms) => Math.round(ms * 10) / 10), lines: result.editLines }));
      for (const row of validateBenchRows(result)) console.log(`${row.figure}: ${row.measured.toFixed(1)} ${row.unit}${row.peer ? ` (peer ${row.peer.measured.toFixed(0)})` : ''} ${row.pass ? 'pass' : 'FAIL'}`);
    })
    .finally(removeTempDirs);
}
