// What a user installs: the npm tarball gives a working `gitops-env` (packed, installed into a temp
// prefix as `npm install -g` does, then run), and the VSIX holds the icon, the changelog and the
// README's pictures so the extension's page shows them. Needs `npm run build` first (npm test does it).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir, initRepo, writeFiles, commitAll } from './helpers/tempGitRepo';

after(removeTempDirs);

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; icon?: string; files?: string[] };
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, maxBuffer: 64 * 1024 * 1024 });

test('npm pack → npm install -g into a fresh prefix → gitops-env runs envs and drift', { timeout: 300_000 }, () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is built (npm run build)');
  const out = tempDir('gitops-pack-');
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', out], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed[0].files.map((f) => f.path).sort();
  // The CLI and nothing of the sources, tests or VS Code bundles.
  for (const needed of ['bin/gitops-env.js', 'dist/cli.js', 'dist/cli-envs.js', 'dist/cli-drift.js', 'dist/cluster.js', 'dist/kubernetes-schemas.json', 'dist/kubernetes-schema-descriptions.json', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) assert.ok(files.includes(needed), `tarball has ${needed}`);
  assert.deepEqual(files.filter((f) => /^(src|test|bench|webview-ui|scripts)\//.test(f) || f.endsWith('.map')), [], 'no sources, tests or source maps');

  const prefix = tempDir('gitops-prefix-');
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(out, packed[0].filename)], { cwd: out, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(install.status, 0, install.stderr);
  // The bundles carry everything they run, so the package needs no dependencies: nothing to
  // download, and no dependency's engine range (some need Node 22) to warn about on Node 20.
  assert.doesNotMatch(install.stderr, /EBADENGINE|npm warn/i, 'npm install -g prints no warning');
  const installed = join(prefix, 'lib', 'node_modules', 'gitops-environments');
  assert.deepEqual(existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')) : [], [], 'no dependency is installed beside the CLI');
  const bin = join(prefix, 'bin', 'gitops-env');
  assert.ok(existsSync(bin), 'the bin link is installed');

  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);

  const repo = initRepo();
  const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  v: "${v}"\n`;
  writeFiles(repo, { 'envs/dev/app.yaml': cm('2'), 'envs/prod/app.yaml': cm('1') });
  commitAll(repo, 'envs');
  const envs = spawnSync(bin, ['envs', '--repo', repo, '--json'], { encoding: 'utf8' });
  assert.equal(envs.status, 0, envs.stderr);
  const listed = JSON.parse(envs.stdout) as { environments: Array<{ name: string; path: string }> };
  assert.deepEqual(listed.environments.map((e) => [e.name, e.path]), [['dev', 'envs/dev'], ['prod', 'envs/prod']]);

  const live = join(tempDir(), 'live.yaml');
  writeFileSync(live, cm('3'));
  const drift = spawnSync(bin, ['drift', '--desired', join(repo, 'envs/dev/app.yaml'), '--live', live, '--json'], { encoding: 'utf8' });
  assert.equal(drift.status, 1, drift.stderr);
  const report = JSON.parse(drift.stdout) as { resources: Array<{ status: string; fields: Array<{ path: string; desired: unknown; live: unknown }> }> };
  assert.equal(report.resources[0].status, 'Drifted');
  assert.deepEqual(report.resources[0].fields.map((f) => [f.path, f.desired, f.live]), [['data.v', '2', '3']]);

  // The installed CLI validates with the packed schema asset (no @kubernetes/client-node models loaded).
  const bad = join(tempDir(), 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      imagePullPolicy: Sometimes\n');
  const validate = spawnSync(bin, ['validate', bad, '--json'], { encoding: 'utf8' });
  assert.equal(validate.status, 1, validate.stderr);
  const problems = (JSON.parse(validate.stdout) as { problems: Array<{ line: number; message: string }> }).problems;
  assert.deepEqual(problems.map((p) => p.line), [9]);
  assert.match(problems[0].message, /Sometimes.*Always/s);
});

test('the VSIX ignore list ships the icon, the changelog and every picture the README shows', () => {
  assert.equal(pkg.icon, 'media/icon.png');
  // vsce refuses to package when package.json has `files` beside a .vscodeignore (npm uses .npmignore).
  assert.equal(pkg.files, undefined);
  const icon = readFileSync(join(ROOT, 'media', 'icon.png'));
  // PNG signature, then IHDR width and height (big-endian): at least 128×128 for the Marketplace.
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'icon is at least 128×128');
  const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!CHANGELOG\.md$/m);
  assert.match(ignore, /^!media\/\*\*$/m);
  const pictures = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(pictures.length >= 5);
  for (const picture of pictures) {
    assert.ok(!/^https?:/.test(picture), `${picture} is a relative link (shown from inside the VSIX)`);
    assert.ok(existsSync(join(ROOT, picture)), `${picture} exists`);
    assert.ok(picture.startsWith('docs/') && picture.endsWith('.png') && /^!docs\/\*\.png$/m.test(ignore), `${picture} is packed`);
  }
  assert.ok(readdirSync(join(ROOT, 'docs')).length > 0);
});
