// `npm run bench`: every benchmark with its peer side by side, one table, written into the README.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshActivationRows, measureActivation, measureActivationFresh, measureActivationFreshCached } from './activationBench';
import { hostActivationBenchRows, measureHostActivation } from './hostActivationBench';
import { extensionScaleBenchRows, measureExtensionScale } from './extensionScaleBench';
import { machineLine, median, renderTable, type BenchRow } from './benchTable';
import { cliBenchRows, measureCliDrift, measureCliStart } from './cliBench';
import { driftBenchRows, measureDrift } from './driftBench';
// @ts-expect-error -- a plain .mjs module shared with the e2e harness and the demo
import { createDemoWorkspace } from '../scripts/demoWorkspace.mjs';
import { comparePairsRow, measureComparePairs } from './comparePairsBench';
import { measureClusterScale } from './clusterScaleBench';
import { measureEdit } from './editBench';
import { measurePromotionPlan } from './promotionBench';
import { measureExplorer } from './explorerBench';
import { measureDiscovery } from './discoveryBench';
import { measureSync, syncBenchRows } from './syncBench';
import { measureValidate, validateBenchRows } from './validateBench';
import { measurePreview, previewBenchRows } from './previewBench';
import { removeTempDirs, tempDir } from '../test/integration/helpers/tempGitRepo';

async function runAll(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const explorer = await measureExplorer();
  const tree = median(explorer.treeMs);
  rows.push({
    figure: 'Environments view, first full tree (3 envs, 10,000 commits, 300 manifests/env)',
    target: '≤ 500 ms',
    measured: tree,
    unit: 'ms',
    peer: { name: 'git CLI, same reads', measured: median(explorer.peerTreeMs) },
    pass: tree <= 500,
  });
  rows.push({
    figure: 'Expand Resources: 300 manifests read at a branch and parsed with positions',
    target: '—',
    measured: median(explorer.renderMs),
    unit: 'ms',
    pass: true,
  });
  const activation = await measureActivation();
  const activate = median(activation.activationMs);
  rows.push(...freshActivationRows(measureActivationFresh(), measureActivationFreshCached()));
  rows.push(...hostActivationBenchRows(await measureHostActivation()));
  rows.push({ figure: 'Activation: activate() alone, the module already loaded (VS Code calls stubbed)', target: '—', measured: activate, unit: 'ms', pass: true });
  rows.push(...driftBenchRows(await measureDrift()));
  rows.push(...extensionScaleBenchRows(await measureExtensionScale()));
  // The command line as a pipeline runs it: fresh processes on both sides.
  const cliSmall = await measureCliDrift(1000, 50, 5, 3);
  const cliLarge = await measureCliDrift(10_000, 100, 3, 2);
  const demo = tempDir('gitops-bench-demo-');
  await createDemoWorkspace(demo);
  const start = await measureCliStart(demo, 7);
  rows.push(...cliBenchRows([{ result: cliSmall, targetRatio: 10 }, { result: cliLarge, targetRatio: 15, rssTargetMb: 250 }], start));
  rows.push(comparePairsRow(measureComparePairs()));
  const edit = await measureEdit();
  for (const [mode, times] of [['local', edit.localMs], ['server', edit.serverMs]] as const) {
    const m = median(times);
    rows.push({ figure: `Drift hints after an edit, ${edit.lines}-line ${edit.documents}-document manifest (${mode} mode)`, target: '≤ 20 ms', measured: m, unit: 'ms', pass: m <= 20 });
  }
  rows.push(...validateBenchRows(await measureValidate()));
  const promotion = await measurePromotionPlan();
  const plan = median(promotion.planMs);
  rows.push({
    figure: `Promotion plans, ${promotion.environments} environments × ${promotion.filesPerEnvironment} files (all ${promotion.environments - 1} hops)`,
    target: '≤ 1 s',
    measured: plan,
    unit: 'ms',
    peer: { name: 'git diff of the same folder pairs', measured: median(promotion.peerMs) },
    pass: plan <= 1000,
  });
  const discovery = await measureDiscovery();
  const discover = median(discovery.discoveryMs);
  rows.push({
    figure: `Discovery, ${discovery.apps} apps × ${discovery.environments} environments from an ApplicationSet (git directories)`,
    target: '≤ 300 ms',
    measured: discover,
    unit: 'ms',
    peer: { name: 'git ls-files, listing alone', measured: median(discovery.peerMs) },
    pass: discover <= 300,
  });
  // Five rounds (each a fresh sandbox): the first sync is one run per round, and three left the median at the mercy of one slow run.
  rows.push(...syncBenchRows(await measureSync(1000, 50, 5)));
  rows.push(...previewBenchRows(await measurePreview()));
  const scale = await measureClusterScale();
  rows.push({ figure: `${scale.clusters} clusters × ${scale.objectsPerCluster} objects watched: initial sync`, target: '≤ 3 s', measured: scale.medians.initialSyncMs, unit: 'ms', pass: scale.pass.initialSync });
  rows.push({ figure: `${scale.clusters} clusters × ${scale.objectsPerCluster} objects: process heap (sandboxes included)`, target: '≤ 300 MB', measured: scale.medians.heapMB, unit: 'MB', pass: scale.pass.heap });
  rows.push({ figure: 'A watch event reflected in the cache (change event delivered)', target: '≤ 500 ms', measured: scale.medians.eventMs, unit: 'ms', pass: scale.pass.event });
  return rows;
}

async function main(): Promise<void> {
  const rows = await runAll();
  const table = renderTable(rows);
  const machine = machineLine();
  console.log(table);
  console.log(`\n${machine}`);
  if (process.argv.includes('--no-readme')) return;
  const readmePath = join(__dirname, '..', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i >= 0 && j > i) {
    writeFileSync(readmePath, `${readme.slice(0, i + start.length)}\n${table}\n\nMachine: ${machine}\n${readme.slice(j)}`);
    console.log('README.md benchmark table updated');
  }
  if (rows.some((r) => !r.pass)) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(removeTempDirs);
