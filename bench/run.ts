// `npm run bench`: every benchmark with its peer side by side, one table, written into the README.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureActivation } from './activationBench';
import { machineLine, median, renderTable, type BenchRow } from './benchTable';
import { driftBenchRows, measureDrift } from './driftBench';
import { measureEdit } from './editBench';
import { measureExplorer } from './explorerBench';
import { removeTempDirs } from '../test/integration/helpers/tempGitRepo';

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
  rows.push({ figure: 'Activation (activate(), no Git or cluster work)', target: '≤ 50 ms', measured: activate, unit: 'ms', pass: activate <= 50 });
  rows.push({ figure: 'Activation incl. loading dist/extension.js', target: '—', measured: median(activation.loadAndActivateMs), unit: 'ms', pass: true });
  rows.push(...driftBenchRows(await measureDrift()));
  const edit = await measureEdit();
  for (const [mode, times] of [['local', edit.localMs], ['server', edit.serverMs]] as const) {
    const m = median(times);
    rows.push({ figure: `Drift hints after an edit, ${edit.lines}-line ${edit.documents}-document manifest (${mode} mode)`, target: '≤ 20 ms', measured: m, unit: 'ms', pass: m <= 20 });
  }
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
