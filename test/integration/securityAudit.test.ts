// The code we ship carries no known high or critical advisory (README, "Security"). Every bundle
// carries the libraries it runs, so package.json lists them all as devDependencies and "production"
// cannot come from npm's dev flags: it is every package the shipped sources (src/, webview-ui/)
// import, with everything those need, resolved through package-lock.json as Node resolves it.
//   1. `npm audit --json` when the registry's audit endpoint answers (a skip that says why when it
//      does not: offline, or a mirror that refuses the audit POST), its findings kept to that set.
//   2. Always, offline: those packages are at or above the fixed versions of the high/critical
//      advisories known to affect them, and none is a release that was published by a compromised
//      maintainer account. A hand-kept floor, so it only catches what it lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { sourceFiles } from '../unit/helpers/sourceFiles';

const root = join(__dirname, '..', '..');

/**
 * High/critical advisories the README explains and accepts, by package name. Empty: there is none.
 * An entry needs a sentence in the README's Security section saying why it does not apply.
 */
const EXPLAINED = new Map<string, string>();

interface AuditVulnerability {
  name: string;
  severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  via: unknown[];
  range: string;
}

function npmAudit(): Promise<{ stdout: string; failure: string | null }> {
  return new Promise((resolve) => {
    execFile('npm', ['audit', '--json'], { cwd: root, timeout: 90_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_fund: 'false', npm_config_update_notifier: 'false' } }, (error, stdout) => {
      // npm audit exits 1 when it finds anything: the JSON is the answer either way.
      resolve({ stdout: String(stdout), failure: error && !stdout ? error.message : null });
    });
  });
}

test('npm audit: no high or critical advisory in the shipped packages that the README does not explain', async (t) => {
  const { stdout, failure } = await npmAudit();
  if (failure) return t.skip(`npm audit did not run: ${failure.split('\n')[0]}`);
  let report: { vulnerabilities?: Record<string, AuditVulnerability>; metadata?: { vulnerabilities?: Record<string, number> }; error?: { summary?: string }; message?: string; statusCode?: number };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    return t.skip(`npm audit printed no JSON: ${stdout.slice(0, 200)}`);
  }
  if (!report.vulnerabilities) {
    // The registry (or a mirror in front of it) did not answer the audit request: that is no verdict.
    return t.skip(`the audit endpoint did not answer: ${report.message ?? report.error?.summary ?? 'no vulnerabilities field'}${report.statusCode ? ` (HTTP ${report.statusCode})` : ''}`);
  }
  const shipped = new Set(shippedPackages().map((p) => p.name));
  const serious = Object.values(report.vulnerabilities).filter((v) => (v.severity === 'high' || v.severity === 'critical') && shipped.has(v.name));
  const unexplained = serious.filter((v) => !EXPLAINED.has(v.name)).map((v) => `${v.name} ${v.range} (${v.severity})`);
  assert.deepEqual(unexplained, [], 'high/critical advisories in shipped packages; fix them or explain each in the README');
  t.diagnostic(`npm audit: ${JSON.stringify(report.metadata?.vulnerabilities ?? {})}`);
});

// ---- The offline floor ----

interface LockPackage {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
}

function parseVersion(version: string): number[] {
  return version
    .split('-')[0]
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

function compare(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Fixed versions per major line: an installed version below the fix of its line is affected; a line older than every fix is affected. */
const FLOORS: Array<{ name: string; fixed: string[]; advisory: string }> = [
  { name: 'form-data', fixed: ['2.5.4', '3.0.4', '4.0.4'], advisory: 'CVE-2025-7783, critical: predictable multipart boundary' },
  { name: 'jsonpath-plus', fixed: ['10.3.0'], advisory: 'CVE-2025-1302 / CVE-2024-21534, critical: code execution through JSONPath' },
  { name: 'tar-fs', fixed: ['2.1.4', '3.1.1'], advisory: 'CVE-2025-48387 / CVE-2025-59343, high: extraction outside the target folder' },
  { name: 'ws', fixed: ['5.2.4', '6.2.3', '7.5.10', '8.17.1'], advisory: 'CVE-2024-37890, high: crash on many headers' },
  { name: 'node-forge', fixed: ['1.3.2'], advisory: 'CVE-2025-12816 / CVE-2022-24771, high: signature and ASN.1 validation' },
  { name: 'simple-git', fixed: ['3.16.0'], advisory: 'CVE-2022-25912 / CVE-2022-25860, critical: command execution through git options' },
  { name: 'node-fetch', fixed: ['2.6.7', '3.1.1'], advisory: 'CVE-2022-0235, high: credentials forwarded on redirect' },
  { name: 'js-yaml', fixed: ['3.14.2', '4.1.1'], advisory: 'CVE-2025-64718, moderate: prototype pollution through merge keys' },
];

/** Releases published from compromised maintainer accounts (September 2025): never installed, dev or not. */
const COMPROMISED = new Map<string, string>([
  ['debug', '4.4.2'],
  ['chalk', '5.6.1'],
  ['ansi-styles', '6.2.2'],
  ['ansi-regex', '6.2.1'],
  ['strip-ansi', '7.1.1'],
  ['supports-color', '10.2.1'],
  ['wrap-ansi', '9.0.1'],
]);

function readLock(): Record<string, LockPackage> {
  return (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }).packages;
}

function nameOf(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

function lockPackages(): Array<{ name: string; version: string }> {
  return Object.entries(readLock())
    .filter(([path, entry]) => path !== '' && entry.version)
    .map(([path, entry]) => ({ name: nameOf(path), version: entry.version as string }));
}

/** The packages the shipped sources import by name (not Node's own modules, not `vscode`). */
function importedPackages(): string[] {
  const names = new Set<string>();
  const builtins = new Set(builtinModules);
  for (const folder of ['src', 'webview-ui']) {
    for (const file of sourceFiles(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"./][^'"]*)['"]/gm)) {
        const spec = match[1];
        // Only what can be a package name (prose such as `from 'a' to 'b'` in a string is not).
        if (spec.startsWith('node:') || spec === 'vscode' || !/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/.test(spec)) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!builtins.has(name)) names.add(name);
      }
    }
  }
  return [...names].sort();
}

/** Every package the shipped sources need, with its own dependencies, resolved as Node does from each package's folder. */
function shippedPackages(): Array<{ name: string; version: string }> {
  const lock = readLock();
  const resolveFrom = (from: string, name: string): string | undefined => {
    // node_modules folders from the requiring package's own up to the root.
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock[candidate]) return candidate;
      if (!base) return undefined;
      const at = base.lastIndexOf('/node_modules/');
      base = at < 0 ? '' : base.slice(0, at);
    }
  };
  const seen = new Set<string>();
  const queue = importedPackages().map((name) => resolveFrom('', name)).filter((path): path is string => path !== undefined);
  while (queue.length > 0) {
    const path = queue.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = lock[path] as LockPackage & { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const found = resolveFrom(path, dep);
      if (found) queue.push(found);
    }
  }
  return [...seen].map((path) => ({ name: nameOf(path), version: lock[path].version ?? '' }));
}

test('the shipped packages are what the sources import: every such import resolves in the lockfile', () => {
  const lock = readLock();
  const imported = importedPackages();
  assert.ok(imported.includes('yaml') && imported.includes('@kubernetes/client-node'), `imports found: ${imported.join(', ')}`);
  assert.deepEqual(imported.filter((name) => !lock[`node_modules/${name}`]), [], 'an imported package missing from package-lock.json');
});

test('offline: production packages are at or above the fixes of the advisories known to affect them', () => {
  const production = shippedPackages();
  assert.ok(production.length > 50, `the shipped packages resolved from package-lock.json (${production.length} packages)`);
  const affected: string[] = [];
  for (const floor of FLOORS) {
    for (const installed of production.filter((p) => p.name === floor.name)) {
      const major = parseVersion(installed.version)[0];
      const sameLine = floor.fixed.find((fix) => parseVersion(fix)[0] === major);
      const below = sameLine ? compare(installed.version, sameLine) < 0 : floor.fixed.every((fix) => compare(installed.version, fix) < 0);
      if (below) affected.push(`${floor.name}@${installed.version}: ${floor.advisory}`);
    }
  }
  assert.deepEqual(affected, []);
  // The floor is not vacuous: it names packages this tree really has.
  assert.ok(FLOORS.filter((f) => production.some((p) => p.name === f.name)).length >= 6);
});

test('offline: no release from a compromised maintainer account is in the lockfile', () => {
  const hits = lockPackages()
    .filter((p) => COMPROMISED.get(p.name) === p.version)
    .map((p) => `${p.name}@${p.version}`);
  assert.deepEqual(hits, []);
});
