// A run for a few keys patches the last report instead of comparing the whole environment again
// (EnvironmentDriftService.runIncremental). The property that makes that safe: after any sequence
// of edits in the editor and changes in the cluster, the patched report says what a fresh service
// computing everything from the same files and the same cluster says. Seeded, a fixed number of
// steps; the seed is printed on failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { EnvironmentDriftService, type EnvironmentDriftReport } from '../../src/cluster/drift/environmentDriftService';
import { directoryView } from '../../src/git/directoryView';
import { renderEnvironment } from '../../src/render/renderEnvironment';
import { DriftSandbox, shopConfigMap, shopDeployment } from './helpers/driftSandbox';
import { removeTempDirs } from './helpers/tempGitRepo';
import { seededRandom } from '../support/seededRandom';

const SELECTOR = 'app.kubernetes.io/part-of=shop';
const NS = 'patched';
const FILES = ['a.yaml', 'b.yaml', 'c.yaml'];
const MAPS_PER_FILE = 4;
const STEPS = 14;
const SEED = Number(process.env.GITOPS_TEST_SEED ?? 20261207);

let cluster: DriftSandbox;
const disposables: Array<{ dispose(): void }> = [];

/** The desired values: file → map name → value of its `level` key. */
type Values = Map<string, Map<string, string>>;

function fileText(file: string, maps: Map<string, string>, extra: string[] = []): string {
  const docs = [...maps].map(([name, level]) => shopConfigMap(NS, name, { level, owner: `"${file}"` }));
  if (file === 'a.yaml') docs.push(shopDeployment(NS, { replicas: 2 }));
  return [...docs, ...extra].join('---\n');
}

function service(): EnvironmentDriftService {
  const manager = new ClusterManager({ path: cluster.kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  const created = new EnvironmentDriftService({ manager, context: cluster.sandbox.contextName, mode: 'server', extraSelector: SELECTOR, debounceMs: 10 });
  disposables.push(created, manager);
  return created;
}

/** What a user sees of a report: every resource's verdict and fields, in order, and the counts. */
function seen(report: EnvironmentDriftReport): unknown {
  return {
    counts: report.drift.counts,
    mode: report.drift.mode,
    resources: report.drift.resources.map((r) => ({
      key: r.key,
      status: r.status,
      reason: r.reason,
      fields: r.fields.map((f) => [f.path, f.change, JSON.stringify(f.desired), JSON.stringify(f.live)]),
      origin: r.origin ? `${r.origin.file}` : undefined,
    })),
  };
}

async function fresh(dir: string): Promise<EnvironmentDriftReport> {
  const s = service();
  const rendered = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
  assert.deepEqual(rendered.problems, []);
  await s.setRendered(rendered.objects);
  return s.compute();
}

before(async () => {
  cluster = await DriftSandbox.start('gitops-incremental-');
});

after(async () => {
  for (const d of disposables) d.dispose();
  await cluster?.stop();
  removeTempDirs();
});

test('after edits in the editor and changes in the cluster, the patched report is what a fresh full computation says', async () => {
  const random = seededRandom(SEED);
  const values: Values = new Map(FILES.map((file, f) => [file, new Map(Array.from({ length: MAPS_PER_FILE }, (_, i) => [`cm-${f}-${i}`, `v${i}`] as [string, string]))]));
  const files = Object.fromEntries(FILES.map((file) => [file, fileText(file, values.get(file) as Map<string, string>)]));
  // Live: what Git says, plus one labelled object Git does not have (Extra).
  const dir = await cluster.apply(NS, { ...files, 'extra.yaml': shopConfigMap(NS, 'stray', { level: 'x' }) });
  writeFileSync(join(dir, 'extra.yaml'), '');
  const s = service();
  const rendered = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
  await s.setRendered(rendered.objects);
  const first = await s.compute();
  assert.equal(first.scope, 'all');
  let report: EnvironmentDriftReport;
  const liveEvents: Array<{ keys: string[]; report: EnvironmentDriftReport }> = [];
  s.onDidChange((e) => {
    if (e.causes.includes('live')) liveEvents.push({ keys: e.keys, report: e.report });
  });
  const scopes = { all: 0, patch: 0 };
  const log: string[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      const file = FILES[Math.floor(random() * FILES.length)];
      const maps = values.get(file) as Map<string, string>;
      const names = [...maps.keys()];
      const name = names[Math.floor(random() * names.length)];
      const action = random();
      if (action < 0.45) {
        // An edit in the editor: a new value, or back to what the cluster may hold.
        maps.set(name, random() < 0.5 ? `e${step}` : `v${names.indexOf(name)}`);
        const text = fileText(file, maps);
        writeFileSync(join(dir, file), text);
        log.push(`${step}: edit ${file} ${name}=${maps.get(name)}`);
        report = await s.updateFile(file, text);
      } else if (action < 0.85) {
        // A change in the cluster: the watch event recomputes that key by itself.
        const value = `live${step}`;
        log.push(`${step}: kubectl patch ${name} level=${value}`);
        const seenBefore = liveEvents.length;
        await cluster.kubectl('patch', '-n', NS, 'configmap', name, '--type=merge', '-p', JSON.stringify({ data: { level: value } }));
        const key = `/ConfigMap/${NS}/${name}`;
        for (const started = Date.now(); ; ) {
          const event = liveEvents.slice(seenBefore).find((e) => e.keys.includes(key));
          if (event && (event.report.byKey.get(key)?.fields ?? []).some((f) => f.live === value)) {
            report = event.report;
            break;
          }
          if (Date.now() - started > 8000) assert.fail(`no live event for ${key} (${log.join('; ')})`);
          await new Promise((r) => setTimeout(r, 20));
        }
      } else {
        // A document added to the file: the set of objects changes, so the run is a full one.
        const extraName = `added-${step}`;
        const text = fileText(file, maps, [shopConfigMap(NS, extraName, { level: 'new' })]);
        writeFileSync(join(dir, file), text);
        log.push(`${step}: add ${extraName} to ${file}`);
        report = await s.updateFile(file, text);
        assert.equal(report.scope, 'all', 'a new object needs a full run');
        // Back to the file without it (the key goes: a full run again).
        const back = fileText(file, maps);
        writeFileSync(join(dir, file), back);
        report = await s.updateFile(file, back);
        assert.equal(report.scope, 'all', 'an object gone needs a full run');
      }
      scopes[report.scope]++;
      const expected = await fresh(dir);
      assert.deepEqual(seen(report), seen(expected), `seed ${SEED}, after: ${log.join('; ')}`);
    }
  } finally {
    s.dispose();
  }
  assert.ok(scopes.patch >= STEPS / 2, `most steps patch the last report: ${JSON.stringify(scopes)}`);
  // An edit of one value touches one key: those runs patch the last report.
  const patchedEdits = await (async () => {
    const file = FILES[0];
    const maps = values.get(file) as Map<string, string>;
    const [name] = maps.keys();
    maps.set(name, 'final');
    const text = fileText(file, maps);
    writeFileSync(join(dir, file), text);
    const s2 = service();
    const r = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
    await s2.setRendered(r.objects);
    await s2.compute();
    maps.set(name, 'final2');
    const edited = fileText(file, maps);
    writeFileSync(join(dir, file), edited);
    return s2.updateFile(file, edited);
  })();
  assert.equal(patchedEdits.scope, 'patch');
  assert.deepEqual(patchedEdits.dryRuns, [`/ConfigMap/${NS}/cm-0-0`]);
  assert.deepEqual(seen(patchedEdits), seen(await fresh(dir)));
  assert.ok(readFileSync(join(dir, 'a.yaml'), 'utf8').includes('final2'));
});
