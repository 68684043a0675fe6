// Times activate() of the built extension bundle with a stand-in `vscode` module: every API call
// answers instantly, so what is measured is our own activation work (module load + registrations).
import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { median, type BenchRow } from './benchTable';

type AnyFn = (...args: unknown[]) => unknown;

/** A value that is callable, constructible and has every property: enough to stand in for vscode. */
function universalStub(): unknown {
  const target = function stub(): void {} as unknown as AnyFn;
  const proxy: unknown = new Proxy(target, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.iterator) return function* empty() {};
      return proxy;
    },
    set: () => true, // assignments (item.name = …) are accepted and forgotten
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

// Every value the `vscode` module exports, read from @types/vscode: esbuild's interop copies own
// keys, so the stand-in must name them all.
function vscodeNames(): string[] {
  const text = readFileSync(join(__dirname, '..', 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...text.matchAll(/^\texport (?:class|enum|namespace|function|const|let) (\w+)/gm)].map((m) => m[1]);
}

function vscodeStub(): Record<string, unknown> {
  const stub = universalStub();
  return Object.fromEntries(vscodeNames().map((name) => [name, stub]));
}

interface Loader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

export async function measureActivation(runs = 15): Promise<{ activationMs: number[]; loadAndActivateMs: number[] }> {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const stub = universalStub();
  const vscode = vscodeStub();
  loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request === 'vscode') return vscode;
    return original.call(this, request, parent, isMain);
  };
  const bundle = join(__dirname, '..', 'dist', 'extension.js');
  const activationMs: number[] = [];
  const loadAndActivateMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      delete require.cache[require.resolve(bundle)];
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(bundle) as { activate(context: unknown): { activationMs: number } };
      // Every member activate() may touch: secrets and mementos are read while services are built.
      const context = {
        subscriptions: [] as unknown[],
        globalStorageUri: stub,
        extensionUri: stub,
        storageUri: stub,
        secrets: stub,
        globalState: stub,
        workspaceState: stub,
        extension: stub,
        environmentVariableCollection: stub,
        logUri: stub,
        extensionMode: 1,
      };
      const api = extension.activate(context);
      loadAndActivateMs.push(performance.now() - started);
      activationMs.push(api.activationMs);
    }
  } finally {
    loader._load = original;
  }
  return { activationMs, loadAndActivateMs };
}

/**
 * The same in a fresh plain `node` process per run (no tsx: under `node --import tsx` the loader
 * hooks also see the 1.5 MB bundle, which an extension host does not), timed from just before the
 * bundle is required to after activate() returns; the process start itself is not counted (a host
 * is already running). `cpuMs` is the CPU time of that span, steadier than the wall time on a busy
 * machine. Still a stand-in: VS Code calls are free here, unlike in a real extension host.
 */
export interface FreshActivation {
  loadMs: number[];
  loadAndActivateMs: number[];
  cpuMs: number[];
  bundleBytes: number;
  /** Whether the runs loaded the bundle from a primed code cache. */
  codeCache: boolean;
}

// The child: the stand-in `vscode` of universalStub/vscodeStub above, in plain JavaScript.
const FRESH_CHILD = `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const [bundle, typesFile] = process.argv.slice(1);
function universalStub() {
  const target = function stub() {};
  const proxy = new Proxy(target, {
    get: (_t, prop) => (prop === Symbol.toPrimitive ? () => '' : prop === 'then' ? undefined : prop === Symbol.iterator ? function* empty() {} : proxy),
    set: () => true,
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}
const stub = universalStub();
const names = [...readFileSync(typesFile, 'utf8').matchAll(/^\\texport (?:class|enum|namespace|function|const|let) (\\w+)/gm)].map((m) => m[1]);
const vscode = Object.fromEntries(names.map((name) => [name, stub]));
const original = Module._load;
Module._load = function load(request, parent, isMain) { return request === 'vscode' ? vscode : original.call(this, request, parent, isMain); };
const cpu = process.cpuUsage();
const started = performance.now();
const extension = require(bundle);
const loaded = performance.now();
extension.activate({ subscriptions: [], globalStorageUri: stub, extensionUri: stub, storageUri: stub, secrets: stub, globalState: stub, workspaceState: stub, extension: stub, environmentVariableCollection: stub, logUri: stub, extensionMode: 1 });
const done = performance.now();
const used = process.cpuUsage(cpu);
if (process.env.GITOPS_BENCH_FLUSH_CODE_CACHE === '1') extension.flushCodeCache?.();
process.stdout.write(JSON.stringify({ loadMs: loaded - started, totalMs: done - started, cpuMs: (used.user + used.system) / 1000, names: names.length }));
`;

/**
 * `codeCacheDir`: where dist/extension.js (src/ui/extensionEntry.ts) keeps V8's code cache; one
 * uncounted run primes it, so the runs measure a window's second and later starts. Without it the
 * cache is off and every run compiles the whole bundle (a first start, or a new version).
 */
export function measureActivationFresh(runs = 15, bundle = join(__dirname, '..', 'dist', 'extension.js'), codeCacheDir?: string): FreshActivation {
  const types = join(__dirname, '..', 'node_modules', '@types', 'vscode', 'index.d.ts');
  const result: FreshActivation = { loadMs: [], loadAndActivateMs: [], cpuMs: [], bundleBytes: bundleBytes(bundle), codeCache: codeCacheDir !== undefined };
  const spawnRun = (flush: boolean): { loadMs: number; totalMs: number; cpuMs: number; names: number } => {
    const env = { ...process.env, GITOPS_ENV_CODE_CACHE: codeCacheDir ?? 'off', GITOPS_BENCH_FLUSH_CODE_CACHE: flush ? '1' : '0' };
    // execArgv left out on purpose: no tsx in the child.
    const child = spawnSync(process.execPath, ['-e', FRESH_CHILD, bundle, types], { encoding: 'utf8', timeout: 60_000, env });
    if (child.status !== 0) throw new Error(`activation in a fresh process failed (${String(child.status)}): ${child.stderr.slice(0, 2000)}`);
    return JSON.parse(child.stdout) as { loadMs: number; totalMs: number; cpuMs: number; names: number };
  };
  if (codeCacheDir) spawnRun(true);
  for (let i = 0; i < runs; i++) {
    const run = spawnRun(false);
    if (run.names < 50) throw new Error(`the vscode stand-in named ${run.names} exports: the type file did not parse`);
    result.loadMs.push(run.loadMs);
    result.loadAndActivateMs.push(run.totalMs);
    result.cpuMs.push(run.cpuMs);
  }
  return result;
}

/** The entry plus the real bundle it loads (dist/extension-main.js) when there is one. */
function bundleBytes(entry: string): number {
  const main = join(dirname(entry), 'extension-main.js');
  return readFileSync(entry).length + (existsSync(main) ? readFileSync(main).length : 0);
}

/** The same with the code cache primed in a temporary folder (removed after). */
export function measureActivationFreshCached(runs = 15, bundle = join(__dirname, '..', 'dist', 'extension.js')): FreshActivation {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-activation-cache-'));
  try {
    return measureActivationFresh(runs, bundle, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The activation row on the fresh-process figure (the bundle load included), with its target. */
export function freshActivationRow(r: FreshActivation): BenchRow {
  const ms = median(r.loadAndActivateMs);
  const start = r.codeCache ? 'code cache primed: a window\'s later starts' : 'no code cache: a first start or a new version';
  return {
    figure: `Activation in a fresh node process, ${start}: require dist/extension.js (${(r.bundleBytes / 2 ** 20).toFixed(2)} MB with the bundle it loads; load ${median(r.loadMs).toFixed(0)} ms) + activate(), CPU ${median(r.cpuMs).toFixed(0)} ms (VS Code calls stubbed: free here, not in a real host)`,
    target: '≤ 50 ms',
    measured: ms,
    unit: 'ms',
    pass: ms <= 50,
  };
}

/** Both fresh-process rows: without the code cache (first start) and with it (later starts). */
export function freshActivationRows(cold: FreshActivation, cached: FreshActivation): BenchRow[] {
  return [freshActivationRow(cold), freshActivationRow(cached)];
}
