// Runs one hostile input through every stage — parse, discovery, rendering (trusted and
// untrusted), drift (local compare and `drift --desired/--live`), the CLI (`envs`, `health`) and
// promotion planning (folder and image mode) — and judges each: a located error or a correct
// result, within 2 s, with bounded memory, no crash, no unhandled rejection, no leaked secret,
// no terminal control character printed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { main } from '../../src/cli/main';
import { ignoreRulesFromConfig, rulesFromOperatorObject } from '../../src/cluster/drift/environmentRules';
import { parseGitopsConfig, type GitopsConfig } from '../../src/core/config';
import { discoverEnvironments, type DiscoveryResult } from '../../src/core/discovery';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import type { IgnoreRule } from '../../src/core/drift/ignoreRules';
import { normalizeObject } from '../../src/core/drift/normalize';
import { parseManifests, type ManifestParseResult, type ParsedManifest } from '../../src/core/manifest';
import { IncrementalManifestParser } from '../../src/core/manifestChunks';
import type { Environment, LocatedProblem } from '../../src/core/model';
import { PromotionError } from '../../src/core/promotion/promotionError';
import type { PromotionPlan } from '../../src/core/promotion/promotionTypes';
import { GitRepository } from '../../src/git/gitRepository';
import { materializeRef } from '../../src/git/materialize';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { refView, workingTreeView } from '../../src/git/repoViews';
import { renderEnvironment, type RenderResult } from '../../src/render/renderEnvironment';
import { commitAll, initRepo, tempDir, writeFiles } from '../integration/helpers/tempGitRepo';
import { STAGES, type CaseContext, type ConfigCase, type FolderCase, type HostileCase, type ManifestCase, type Outcome, type Stage } from './corpus';
import { NORMAL_DEPLOYMENT } from './generate';

/**
 * Per stage and input: a guard against blow-ups (backtracking, quadratic walks, hangs), far above
 * what any stage takes on a quiet machine (well under a second), so a loaded 2-core CI box does not
 * fail it. How fast things are is the benchmark's business.
 */
export const TIME_BUDGET_MS = 5000;
export const HEAP_BUDGET_MB = 200;
/** Where a manifest case's input sits in its repository. */
export const INPUT_PATH = 'envs/dev/app.yaml';

export type CellOutcome = 'ok' | 'loc' | 'FAIL' | '-';

export interface Cell {
  outcome: CellOutcome;
  ms: number;
  heapMb: number;
  reason?: string;
}

export type Row = { id: string; role: HostileCase['role']; cells: Record<Stage, Cell> };

/** What a stage produced, before it is judged. */
interface StageResult {
  outcome: 'ok' | 'error';
  /** Errors must be located: file, and the expected line when the case names one. */
  problems?: readonly LocatedProblem[];
  /** CLI output: located means it names the file (and line). */
  cli?: { code: number; out: string; err: string };
  /** Every text a user could see, checked for forbidden strings. */
  text?: string;
  /** A wrong result (not a located error): what is wrong. */
  wrong?: string;
}

type Stages = Partial<Record<Stage, { run: () => Promise<unknown>; judge: (value: never) => StageResult }>>;

// A real collection before each stage, so its growth is measured from a clean heap.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

collect();
const heapAtStart = process.memoryUsage().heapUsed;

/** Heap kept since this module loaded, after a full collection: what a run of cases leaks. */
export function retainedHeapMb(): number {
  collect();
  return (process.memoryUsage().heapUsed - heapAtStart) / 1048576;
}

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

/** C0 controls other than tab and line feed, and DEL: never printed to a terminal. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function errorsOf(problems: readonly LocatedProblem[] | undefined): LocatedProblem[] {
  return (problems ?? []).filter((p) => p.severity === 'error');
}

function describeProblem(p: LocatedProblem | undefined): string {
  if (!p) return 'no problem';
  return `${p.location?.file ?? '(no file)'}:${p.location?.range?.start.line ?? '-'} ${p.message.slice(0, 100)}`;
}

function ids(manifests: readonly ParsedManifest[]): string[] {
  return manifests.filter((m) => m.id).map((m) => `${m.id?.kind}/${m.id?.name}`);
}

/** The expected outcome of a stage for a case: its role's default, or the case's own. */
export function expectedOutcome(c: HostileCase, stage: Stage): Outcome {
  const override = c.stages?.[stage];
  if (override) return override;
  if (c.role === 'manifest') {
    const broken = c.errorLine !== undefined || c.errorMessage !== undefined;
    if (stage === 'discover' || stage === 'envsCli' || stage === 'promote' || stage === 'promoteImg') return 'ok';
    return broken ? 'error' : 'ok';
  }
  if (c.role === 'config') {
    if (stage === 'driftCli' || stage === 'healthCli') return 'skip';
    if (stage === 'renderT' || stage === 'renderU' || stage === 'drift') return 'ok';
    return c.errorLines.length > 0 ? 'error' : 'ok';
  }
  if (stage === 'parse' || stage === 'driftCli' || stage === 'healthCli') return 'skip';
  return 'ok';
}

/** Runs `run`, timing it and measuring the heap it needs and keeps. */
async function measure(run: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown; ms: number; heapMb: number }> {
  collect();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  // The budget is on memory held, not on garbage the collector has not reached yet (how far it
  // lags depends on how busy the machine is): a sample over the budget is taken again after a full
  // collection, and that figure counts.
  const budget = before + HEAP_BUDGET_MB * 1048576;
  const sampler = setInterval(() => {
    let used = process.memoryUsage().heapUsed;
    if (used > budget) {
      collect();
      used = process.memoryUsage().heapUsed;
    }
    peak = Math.max(peak, used);
  }, 5);
  const started = performance.now();
  let value: unknown;
  let error: unknown;
  try {
    value = await run();
  } catch (caught) {
    error = caught;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  let after = process.memoryUsage().heapUsed;
  if (after > budget) {
    collect();
    after = process.memoryUsage().heapUsed;
  }
  peak = Math.max(peak, after);
  return { value, error, ms, heapMb: (peak - before) / 1048576 };
}

function judge(c: HostileCase, stage: Stage, result: StageResult, where: { file?: string; line?: number | null; cliFile?: string }): { outcome: CellOutcome; reason?: string } {
  const expected = expectedOutcome(c, stage);
  for (const secret of c.forbidden ?? []) {
    if (result.text?.includes(secret)) return { outcome: 'FAIL', reason: `shows "${secret}"` };
  }
  if (result.cli && CONTROL.test(result.cli.out + result.cli.err)) {
    const at = (result.cli.out + result.cli.err).search(CONTROL);
    return { outcome: 'FAIL', reason: `prints control character ${JSON.stringify((result.cli.out + result.cli.err)[at])}` };
  }
  if (result.wrong) return { outcome: 'FAIL', reason: result.wrong };
  if (result.outcome !== expected) {
    const detail = result.cli ? `exit ${result.cli.code}: ${(result.cli.err || result.cli.out).split('\n')[0].slice(0, 120)}` : describeProblem(errorsOf(result.problems)[0]);
    return { outcome: 'FAIL', reason: `expected ${expected}, got ${result.outcome} (${detail})` };
  }
  if (result.outcome === 'ok') return { outcome: 'ok' };
  // A located error: every error names its file; the expected one sits on the expected line.
  if (result.cli) {
    const shown = where.cliFile ?? where.file;
    if (shown && !result.cli.err.includes(shown)) return { outcome: 'FAIL', reason: `error output does not name ${shown}: ${result.cli.err.slice(0, 120)}` };
    if (shown && typeof where.line === 'number' && !result.cli.err.includes(`${shown}:${where.line}:`)) {
      return { outcome: 'FAIL', reason: `error output does not point at ${shown}:${where.line}: ${result.cli.err.slice(0, 160)}` };
    }
    return { outcome: 'loc' };
  }
  const errors = errorsOf(result.problems);
  const unlocated = errors.find((p) => !p.location?.file);
  if (unlocated) return { outcome: 'FAIL', reason: `error without a file: ${unlocated.message.slice(0, 100)}` };
  if (where.file) {
    const inFile = errors.filter((p) => p.location?.file === where.file);
    if (inFile.length === 0) return { outcome: 'FAIL', reason: `no error in ${where.file}; got ${describeProblem(errors[0])}` };
    if (typeof where.line === 'number' && !inFile.some((p) => p.location?.range?.start.line === where.line)) {
      return { outcome: 'FAIL', reason: `error not on line ${where.line}: ${describeProblem(inFile[0])}` };
    }
  }
  return { outcome: 'loc' };
}

function cliIO(): { io: { out(t: string): void; err(t: string): void }; result(code: number): { code: number; out: string; err: string } } {
  let out = '';
  let err = '';
  return { io: { out: (t) => (out += t), err: (t) => (err += t) }, result: (code) => ({ code, out, err }) };
}

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, result } = cliIO();
  const code = await main(argv, io);
  return result(code);
}

function cliResult(cli: { code: number; out: string; err: string }, okCodes: readonly number[] = [0]): StageResult {
  return {
    outcome: okCodes.includes(cli.code) ? 'ok' : 'error',
    cli,
    text: cli.out + cli.err,
    wrong: cli.code === 2 || okCodes.includes(cli.code) ? undefined : `exit ${cli.code}: ${(cli.out + cli.err).split('\n').slice(0, 3).join(' | ').slice(0, 200)}`,
  };
}

function planText(plan: PromotionPlan): string {
  return [plan.title, plan.body, plan.diff.text, ...plan.notes, ...plan.files.map((f) => f.diff)].join('\n');
}

/** Rules any input meets in the drift stage: patterns that backtrack badly in JavaScript, next to what operator objects declare. */
const HOSTILE_RULES: IgnoreRule[] = [
  { kind: 'ConfigMap', name: '(a+)+b', jsonPointers: ['/data/never'], match: 'regex' },
  { name: '*a*a*a*a*a*a*a*a*a*a*a*a*a*b', jsonPointers: ['/data/never'] },
  { kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] },
];

/** Compares every object with itself: anything but InSync is a bug in normalization or comparison. */
function driftSelfCheck(manifests: readonly ParsedManifest[], extraRules: IgnoreRule[]): { wrong?: string; problems: string[] } {
  const objects = manifests.filter((m) => m.id);
  const rules = [...HOSTILE_RULES, ...extraRules];
  for (const m of objects) {
    const live = structuredClone(m.object) as KubeObject;
    const drift = compareResource({ desired: { object: m.object, manifest: m }, live, options: { ignoreRules: rules } });
    if (drift.status !== 'InSync') return { wrong: `${m.id?.kind}/${m.id?.name} drifts from itself: ${drift.fields.map((f) => f.path).join(', ').slice(0, 120)}`, problems: [] };
    const once = normalizeObject(m.object);
    if (JSON.stringify(normalizeObject(once)) !== JSON.stringify(once)) return { wrong: `normalizing ${m.id?.kind}/${m.id?.name} twice changes it`, problems: [] };
  }
  const environment = compareEnvironment(
    objects.map((m) => ({ object: m.object, manifest: m })),
    objects.map((m) => structuredClone(m.object) as KubeObject),
    { ignoreRules: rules },
  );
  if (environment.counts.InSync !== objects.length) return { wrong: `compareEnvironment: ${JSON.stringify(environment.counts)}`, problems: environment.problems };
  return { problems: environment.problems };
}

/** The incremental parser (used while a manifest is edited) must read a file as the whole-file parser does. */
function incrementalAgrees(text: string, whole: ManifestParseResult): string | undefined {
  const incremental = new IncrementalManifestParser(INPUT_PATH).parse(text);
  const key = (m: ParsedManifest): string => `${m.id ? `${m.id.kind}/${m.id.name}` : '-'}@${m.kindRange.start.line}`;
  const a = whole.manifests.map(key).join(',');
  const b = incremental.manifests.map(key).join(',');
  if (a !== b) return `incremental parser reads other objects: ${b.slice(0, 80)} vs ${a.slice(0, 80)}`;
  // Where a broken document's error is noticed differs when the document stands alone (its end is
  // the end of the text) and inside the file (its end is the next `---`); that there is one does not.
  const errors = (problems: readonly LocatedProblem[]): number => problems.filter((p) => p.severity === 'error').length;
  if (errors(whole.problems) > 0 !== errors(incremental.problems) > 0) return `incremental parser reports ${errors(incremental.problems)} errors, whole-file ${errors(whole.problems)}`;
  return undefined;
}

function manifestParseJudge(c: ManifestCase, text: string, result: ManifestParseResult): StageResult {
  const errors = errorsOf(result.problems);
  const got = ids(result.manifests);
  let wrong: string | undefined;
  if (got.length !== c.objects.length || got.some((id, i) => id !== c.objects[i])) {
    wrong = `objects ${JSON.stringify(got.slice(0, 3)).slice(0, 120)}${got.length > 3 ? ` …(${got.length})` : ''} instead of ${JSON.stringify(c.objects.slice(0, 3)).slice(0, 120)}`;
  }
  wrong ??= c.errorMessage && errors.length > 0 && !errors.some((p) => c.errorMessage?.test(p.message)) ? `error "${errors[0].message.slice(0, 80)}" does not match ${c.errorMessage}` : undefined;
  wrong ??= c.check?.(result);
  wrong ??= text.length <= 2_000_000 ? incrementalAgrees(text, result) : undefined;
  return { outcome: errors.length > 0 ? 'error' : 'ok', problems: result.problems, text: result.problems.map((p) => p.message).join('\n'), wrong };
}

function configParseJudge(c: ConfigCase, result: { environments: Environment[]; problems: readonly LocatedProblem[] }): StageResult {
  const errors = errorsOf(result.problems);
  const expectedNames = c.environments ?? ['dev', 'staging'];
  const names = result.environments.map((e) => e.name);
  let wrong: string | undefined;
  if (names.join(',') !== expectedNames.join(',')) wrong = `environments ${JSON.stringify(names).slice(0, 100)} instead of ${JSON.stringify(expectedNames).slice(0, 100)}`;
  const lines = errors.map((p) => p.location?.range?.start.line ?? null);
  for (const line of c.errorLines) {
    if (!lines.includes(line)) wrong ??= `no error on line ${line}; errors on ${JSON.stringify(lines)}`;
  }
  for (const line of lines) {
    if (!c.errorLines.includes(line)) wrong ??= `unexpected error on line ${line}: ${describeProblem(errors.find((p) => (p.location?.range?.start.line ?? null) === line))}`;
  }
  if (errors.some((p) => p.location?.file !== 'gitops.yaml')) wrong ??= `error not in gitops.yaml: ${describeProblem(errors.find((p) => p.location?.file !== 'gitops.yaml'))}`;
  return { outcome: errors.length > 0 ? 'error' : 'ok', problems: result.problems, text: result.problems.map((p) => `${p.message} ${p.hint ?? ''}`).join('\n'), wrong };
}

function renderJudge(result: RenderResult, expectedIds?: readonly string[]): StageResult {
  // Rendered objects carry their values (a Secret's too) to the drift engine; what a user reads is the problems.
  const text = result.problems.map((p) => `${p.message} ${p.hint ?? ''}`).join('\n');
  let wrong: string | undefined;
  if (expectedIds) {
    const got = result.objects.map((o) => `${o.id.kind}/${o.id.name}`);
    if (got.length !== expectedIds.length || got.some((id, i) => id !== expectedIds[i])) wrong = `rendered ${JSON.stringify(got.slice(0, 3)).slice(0, 100)} (${got.length}) instead of ${expectedIds.length} objects`;
  }
  for (const o of result.objects) {
    if (o.origin.file.split('/').includes('..') || o.origin.file.startsWith('/')) wrong ??= `origin outside the repository: ${o.origin.file}`;
  }
  return { outcome: errorsOf(result.problems).length > 0 ? 'error' : 'ok', problems: result.problems, text, wrong };
}

function promotionJudge(value: unknown): StageResult {
  if (value instanceof PromotionError) return { outcome: 'error', problems: [{ severity: 'error', message: value.describe(), location: { file: 'gitops.yaml' } }], text: value.describe() };
  const { plan, problems } = value as { plan?: PromotionPlan; problems: LocatedProblem[] };
  if (!plan) return { outcome: 'error', problems, text: problems.map((p) => p.message).join('\n') };
  return { outcome: 'ok', text: planText(plan) };
}

interface Prepared {
  ctx: CaseContext;
  repo: GitRepository;
  cache: string;
  /** Absolute path of the input file, for the CLI. */
  inputFile?: string;
  text?: string;
  helm?: string;
}

/** Creates the case's repository: the input in place, envs/staging holding a normal Deployment. */
async function prepare(c: HostileCase): Promise<Prepared> {
  const root = initRepo(tempDir('gitops-hostile-'));
  const outside = tempDir('gitops-hostile-outside-');
  const ctx: CaseContext = { root, outside };
  const files: Record<string, string | Buffer> = { 'envs/staging/app.yaml': NORMAL_DEPLOYMENT };
  let text: string | undefined;
  if (c.role === 'manifest') {
    const input = c.input();
    files[INPUT_PATH] = input;
    text = input.toString('utf8');
  } else if (c.role === 'config') {
    files['gitops.yaml'] = c.input();
    files['envs/dev/app.yaml'] = NORMAL_DEPLOYMENT.replace('web:1.0.0', 'web:2.0.0');
    text = files['gitops.yaml'].toString('utf8');
  } else {
    for (const [path, content] of Object.entries(c.folder(ctx))) files[`envs/dev/${path}`] = content;
  }
  writeFiles(root, files);
  commitAll(root, 'hostile input');
  if (c.role !== 'manifest' && c.role !== 'config') c.setup?.(ctx);
  const repo = await GitRepository.open(root);
  const cache = join(outside, 'materialized');
  mkdirSync(cache, { recursive: true });
  return {
    ctx,
    repo,
    cache,
    text,
    inputFile: c.role === 'manifest' ? join(root, ...INPUT_PATH.split('/')) : c.role === 'config' ? join(root, 'gitops.yaml') : undefined,
    helm: c.role === 'helm' ? c.helm?.(ctx) : undefined,
  };
}

async function render(p: Prepared, env: { ref: string; path: string | null }, trusted: boolean): Promise<RenderResult> {
  return renderEnvironment({
    view: refView(p.repo, env.ref),
    path: env.path,
    trusted,
    materialize: () => materializeRef(p.repo, env.ref, p.cache),
    timeoutMs: 1500,
    tools: p.helm ? { helm: p.helm } : undefined,
  });
}

/**
 * The environment to render for config and repository cases: the first one in this repository
 * whose branch exists (the extension renders an environment only once its ref resolves).
 */
async function renderTarget(p: Prepared, environments: readonly Environment[]): Promise<{ ref: string; path: string | null } | undefined> {
  for (const env of environments) {
    if (env.repo !== null) continue;
    const ref = env.branch ?? 'main';
    if (await p.repo.treeHash(ref).catch(() => null)) return { ref, path: env.path };
  }
  return undefined;
}

async function promote(p: Prepared, imagesOnly: boolean): Promise<unknown> {
  const context = await loadPromotionContext(p.repo);
  const errors = errorsOf(context.problems);
  // What the CLI does: refuse to plan on broken environment definitions, and say where they are.
  if (errors.length > 0) return { problems: context.problems };
  if (context.environments.length < 2) return { problems: [], plan: undefined, skipped: true };
  const [from, to] = context.environments;
  try {
    return { problems: [], plan: await planPromotion(p.repo, { environments: context.environments, from: from.name, to: to.name, imagesOnly, promotion: context.promotion }) };
  } catch (error) {
    if (error instanceof PromotionError) return error;
    throw error;
  }
}

function stagesFor(c: HostileCase, p: Prepared): Stages {
  const stages: Stages = {};
  let discovered: DiscoveryResult | undefined;
  let rendered: RenderResult | undefined;

  if (c.role === 'manifest') {
    const text = p.text as string;
    stages.parse = { run: async () => parseManifests(text, INPUT_PATH), judge: (r: ManifestParseResult) => manifestParseJudge(c, text, r) };
    stages.drift = {
      run: async () => {
        const parsed = parseManifests(text, INPUT_PATH);
        const operatorRules = parsed.manifests.flatMap((m) => rulesFromOperatorObject(m.object).ignoreRules);
        return { parsed, check: driftSelfCheck(parsed.manifests, operatorRules) };
      },
      judge: (r: { parsed: ManifestParseResult; check: { wrong?: string; problems: string[] } }) => ({
        outcome: errorsOf(r.parsed.problems).length > 0 ? 'error' : 'ok',
        problems: r.parsed.problems,
        wrong: r.check.wrong,
        text: r.check.problems.join('\n'),
      }),
    };
    stages.driftCli = { run: () => runCli(['drift', '--desired', p.inputFile as string, '--live', p.inputFile as string]), judge: (cli: Awaited<ReturnType<typeof runCli>>) => cliResult(cli) };
    stages.healthCli = { run: () => runCli(['health', p.inputFile as string]), judge: (cli: Awaited<ReturnType<typeof runCli>>) => cliResult(cli) };
  }
  if (c.role === 'config') {
    const text = p.text as string;
    stages.parse = { run: async () => parseGitopsConfig(text, 'gitops.yaml'), judge: (r: ReturnType<typeof parseGitopsConfig>) => configParseJudge(c, r) };
    stages.drift = {
      run: async () => {
        const config: GitopsConfig | null = parseGitopsConfig(text, 'gitops.yaml').config;
        // Only a config with ignore rules gives the drift engine something of its own to chew on.
        if (!config?.drift.ignoreDifferences.length) return { skipped: true };
        const objects = parseManifests(NORMAL_DEPLOYMENT, 'envs/dev/app.yaml').manifests;
        return driftSelfCheck(objects, ignoreRulesFromConfig(config.drift.ignoreDifferences));
      },
      judge: (r: { wrong?: string; problems: string[] }) => ({ outcome: 'ok', wrong: r.wrong, text: r.problems.join('\n') }),
    };
  }

  stages.discover = {
    run: async () => (discovered = await discoverEnvironments(workingTreeView(p.repo), { remoteUrls: [] })),
    judge: (r: DiscoveryResult) => {
      if (c.role === 'config') return configParseJudge(c, r);
      const names = r.environments.map((e) => e.name).join(',');
      const expected = (c.environments ?? ['dev', 'staging']).join(',');
      const unsafe = r.environments.find((e) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(e.name) || (e.path !== null && (e.path.startsWith('/') || e.path.split('/').includes('..'))));
      return {
        outcome: errorsOf(r.problems).length > 0 ? 'error' : 'ok',
        problems: r.problems,
        text: r.problems.map((x) => x.message).join('\n'),
        wrong: unsafe ? `unsafe environment ${JSON.stringify(unsafe.name)} at ${unsafe.path}` : names !== expected ? `environments ${names} instead of ${expected}` : undefined,
      };
    },
  };

  for (const [stage, trusted] of [
    ['renderT', true],
    ['renderU', false],
  ] as const) {
    stages[stage] = {
      run: async () => {
        const target = c.role === 'manifest' || c.role === 'kustomize' || c.role === 'helm' ? { ref: 'main', path: 'envs/dev' } : await renderTarget(p, (discovered ?? (await discoverEnvironments(workingTreeView(p.repo)))).environments);
        // Nothing in this repository to render (no environment here, or none whose branch exists).
        if (!target) return { skipped: true };
        const result = await render(p, target, trusted);
        if (trusted) rendered = result;
        return result;
      },
      judge: (r: RenderResult) => {
        const judged = renderJudge(r, c.role === 'manifest' ? c.objects : undefined);
        if (c.role === 'kustomize' || c.role === 'helm' || c.role === 'repo') {
          const marker = (c as FolderCase).marker;
          if (marker && existsSync(join(p.ctx.outside, marker))) judged.wrong ??= `a plugin ran: ${marker} exists`;
        }
        return judged;
      },
    };
  }
  if (c.role !== 'manifest' && c.role !== 'config') {
    stages.drift = {
      run: async () =>
        rendered?.objects.length ? driftSelfCheck(rendered.objects.map((o) => o.manifest ?? ({ id: o.id, object: o.object } as ParsedManifest)), []) : { skipped: true },
      judge: (r: { wrong?: string; problems: string[] }) => ({ outcome: 'ok', wrong: r.wrong, text: r.problems.join('\n') }),
    };
  }

  stages.envsCli = { run: () => runCli(['envs', '--repo', p.ctx.root]), judge: (cli: Awaited<ReturnType<typeof runCli>>) => cliResult(cli) };
  stages.promote = { run: () => promote(p, false), judge: (v: unknown) => promotionJudge(v) };
  stages.promoteImg = { run: () => promote(p, true), judge: (v: unknown) => promotionJudge(v) };
  return stages;
}

/** Where a stage's error must be located, for the case. */
function locationFor(c: HostileCase, stage: Stage, p: Prepared): { file?: string; line?: number | null; cliFile?: string } {
  if (c.role === 'manifest') {
    if (stage === 'driftCli' || stage === 'healthCli') return { file: INPUT_PATH, cliFile: p.inputFile, line: c.errorLine };
    if (stage === 'parse' || stage === 'renderT' || stage === 'renderU' || stage === 'drift') return { file: INPUT_PATH, line: c.errorLine };
    return {};
  }
  if (c.role === 'config') {
    const line = c.errorLines.find((l): l is number => typeof l === 'number');
    if (stage === 'envsCli') return { file: 'gitops.yaml', cliFile: 'gitops.yaml', line };
    if (stage === 'parse' || stage === 'discover' || stage === 'promote' || stage === 'promoteImg') return { file: 'gitops.yaml', line };
    return {};
  }
  if (stage === 'renderT' || stage === 'renderU') return { file: c.errorFile, line: c.errorLine };
  return {};
}

/** Runs one case through every stage; never throws for what a stage does (that is a FAIL cell). */
export async function runCase(c: HostileCase): Promise<Row> {
  const p = await prepare(c);
  const cells = {} as Record<Stage, Cell>;
  try {
    const stages = stagesFor(c, p);
    for (const stage of STAGES) {
      const expected = expectedOutcome(c, stage);
      const definition = stages[stage];
      if (!definition || expected === 'skip') {
        cells[stage] = { outcome: '-', ms: 0, heapMb: 0 };
        continue;
      }
      const before = unhandled.length;
      const measured = await measure(definition.run);
      // Let a stray rejection surface before the stage is judged.
      await new Promise((resolve) => setImmediate(resolve));
      let verdict: { outcome: CellOutcome; reason?: string };
      if (measured.error !== undefined) {
        verdict = { outcome: 'FAIL', reason: `threw ${(measured.error as Error)?.stack?.split('\n').slice(0, 3).join(' ') ?? String(measured.error)}` };
      } else if (unhandled.length > before) {
        verdict = { outcome: 'FAIL', reason: `unhandled rejection: ${String(unhandled[unhandled.length - 1])}` };
      } else {
        const value = measured.value as { skipped?: boolean } | undefined;
        if (value && typeof value === 'object' && value.skipped) {
          verdict = { outcome: '-' };
        } else {
          verdict = judge(c, stage, (definition.judge as (v: unknown) => StageResult)(measured.value), locationFor(c, stage, p));
        }
      }
      if (verdict.outcome !== 'FAIL' && measured.ms > TIME_BUDGET_MS) verdict = { outcome: 'FAIL', reason: `took ${Math.round(measured.ms)} ms` };
      if (verdict.outcome !== 'FAIL' && measured.heapMb > HEAP_BUDGET_MB) verdict = { outcome: 'FAIL', reason: `heap grew ${Math.round(measured.heapMb)} MB` };
      cells[stage] = { ...verdict, ms: measured.ms, heapMb: measured.heapMb };
    }
  } finally {
    p.repo.dispose();
  }
  return { id: c.id, role: c.role, cells };
}

/** The table printed in the test output: input × stage → ok / loc (located error) / FAIL / -. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['input', ...STAGES];
  const body = rows.map((row) => [row.id, ...STAGES.map((stage) => row.cells[stage]?.outcome ?? '?')]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join(' ').trimEnd();
  const failures = rows.flatMap((row) => STAGES.filter((s) => row.cells[s]?.outcome === 'FAIL').map((s) => `  FAIL ${row.id} × ${s}: ${row.cells[s].reason}`));
  const slowest = rows
    .flatMap((row) => STAGES.map((s) => ({ id: row.id, stage: s, ms: row.cells[s]?.ms ?? 0, heap: row.cells[s]?.heapMb ?? 0 })))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((x) => `${x.id} × ${x.stage} ${Math.round(x.ms)} ms`);
  const heaviest = rows
    .flatMap((row) => STAGES.map((s) => ({ id: row.id, stage: s, heap: row.cells[s]?.heapMb ?? 0 })))
    .sort((a, b) => b.heap - a.heap)
    .slice(0, 3)
    .map((x) => `${x.id} × ${x.stage} ${Math.round(x.heap)} MB`);
  const counts = { ok: 0, loc: 0, FAIL: 0, '-': 0 } as Record<CellOutcome, number>;
  for (const row of rows) for (const s of STAGES) counts[row.cells[s]?.outcome ?? '-']++;
  return [
    line(header),
    ...body.map(line),
    `${rows.length} inputs × ${STAGES.length} stages: ${counts.ok} ok, ${counts.loc} located errors, ${counts.FAIL} FAIL, ${counts['-']} not applicable`,
    `slowest: ${slowest.join('; ')}`,
    `most memory: ${heaviest.join('; ')}`,
    ...failures,
  ].join('\n');
}

/** Writes the table where CI keeps artifacts (test-results/ is ignored by Git). */
export function saveTable(name: string, table: string): void {
  const dir = join(__dirname, '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${table}\n`);
}
