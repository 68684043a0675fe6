// renderEnvironment on real repositories and the real `kubectl kustomize`: plain folders,
// kustomize overlays with origins traced to file and line, located errors, Restricted Mode,
// timeouts, helm through a fake executable, and the Flux example repository.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { workingTreeView } from '../../src/git/repoViews';
import { renderEnvironment, type RenderResult } from '../../src/render/renderEnvironment';
import { at, fakeTool, FIXTURES, renderRepo } from './helpers/renderSetup';
import { commitAll, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';
import { assertPresent, requirePresent, SHARED_FIXTURES, skipUnlessPresent } from '../support/requirePresent';

after(removeTempDirs);

const KUBECTL = '/usr/bin/kubectl';
const KUBECTL_WHAT = 'kubectl (with kubectl kustomize)';

function summary(result: RenderResult): string[] {
  return result.objects
    .map((o) => `${o.id.kind} ${o.id.namespace ?? '-'}/${o.id.name} @ ${at(o.origin)}${o.origin.patches ? ` patched by ${o.origin.patches.map(at).join(', ')}` : ''}`)
    .sort();
}

describe('plain folders', () => {
  test('a big folder is read one batch ahead of parsing, and objects come out in file order either way', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `env/app-${String(i).padStart(3, '0')}.yaml`);
    const log: string[] = [];
    const view = {
      listFiles: () => Promise.resolve(names),
      readFile: (path: string) => {
        log.push(`read ${path}`);
        const name = path.slice('env/'.length, -'.yaml'.length);
        return new Promise<string>((resolve) => setImmediate(() => resolve(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`)));
      },
      branches: () => Promise.resolve([]),
    };
    const result = await renderEnvironment({ view, path: 'env', trusted: true, onObject: (object) => log.push(`object ${object.origin.file}`) });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.objects.map((object) => object.origin.file), names);
    // Every file is read once; the second batch is asked for before the first is parsed, so git
    // (or the disk) answers it meanwhile.
    assert.deepEqual(log.filter((line) => line.startsWith('read ')).sort(), names.map((name) => `read ${name}`));
    const lastReadBeforeParse = log.findIndex((line) => line.startsWith('object '));
    assert.ok(log.slice(0, lastReadBeforeParse).includes(`read ${names[64]}`), 'the second batch is read before the first is parsed');
    assert.ok(!log.slice(0, lastReadBeforeParse).includes(`read ${names[128]}`), 'not more than one batch ahead');
  });

  test('every manifest under the folder, each at its kind line; kustomize subfolders built, charts and dot-folders skipped', async (t) => {
    if (!requirePresent(t, KUBECTL_WHAT, KUBECTL)) return;
    const { repo, input } = await renderRepo(join(FIXTURES, 'plain'));
    try {
      const result = await renderEnvironment(input('env'));
      assert.equal(result.renderer, 'plain');
      assert.deepEqual(summary(result), [
        'ConfigMap shop/settings @ env/config/settings.json:3',
        'Deployment shop/web @ env/deployment.yaml:3',
        'Service shop/web @ env/deployment.yaml:11',
        'ServiceAccount flux-system/flux-sync @ env/flux-system/sync.yaml:2',
      ]);
      const deployment = result.objects.find((o) => o.id.kind === 'Deployment');
      assert.deepEqual(deployment?.origin.range, { start: { line: 3, column: 1 }, end: { line: 3, column: 17 } });
      assert.deepEqual(deployment?.object, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } });
      // The YAML error itself is the core parser's: here, that the flow sequence opened on line 6 never closes.
      assert.deepEqual(
        result.problems.map((p) => `${p.severity} ${p.location?.file}`),
        ['error env/broken.yaml'],
      );
      assert.ok((result.problems[0].location?.range?.start.line ?? 0) >= 6);
      assert.deepEqual(result.files, [
        'env/broken.yaml',
        'env/config/settings.json',
        'env/deployment.yaml',
        'env/flux-system/kustomization.yaml',
        'env/flux-system/sync.yaml',
        'env/values.yaml',
      ]);
    } finally {
      repo.dispose();
    }
  });

  test('in Restricted Mode plain files still render; the kustomize subfolder does not', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'plain'));
    try {
      const result = await renderEnvironment(input('env', { trusted: false }));
      assert.deepEqual(summary(result), [
        'ConfigMap shop/settings @ env/config/settings.json:3',
        'Deployment shop/web @ env/deployment.yaml:3',
        'Service shop/web @ env/deployment.yaml:11',
      ]);
      assert.ok(result.problems.some((p) => /Restricted Mode/.test(p.message) && p.location?.file === 'env/flux-system/kustomization.yaml'));
    } finally {
      repo.dispose();
    }
  });

  test('the working tree renders unsaved-to-git edits', async () => {
    const root = initRepo();
    writeFiles(root, { 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before\n' });
    commitAll(root, 'one');
    writeFiles(root, { 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n', 'apps/new.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n' });
    const { GitRepository } = await import('../../src/git/gitRepository');
    const repo = await GitRepository.open(root);
    try {
      const result = await renderEnvironment({ view: workingTreeView(repo), path: 'apps', trusted: true, materialize: async () => root });
      assert.deepEqual(summary(result), ['ConfigMap -/after @ apps/cm.yaml:2', 'Secret -/s @ apps/new.yaml:2']);
    } finally {
      repo.dispose();
    }
  });
});

describe('kustomize', { skip: skipUnlessPresent(KUBECTL_WHAT, KUBECTL) }, () => {
  // Under CI the suite is not skipped: a missing kubectl fails it here, saying so.
  before(() => assertPresent(KUBECTL_WHAT, KUBECTL));

  test('an overlay with a base, namePrefix, namespace, a strategic-merge patch and generators', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'overlay'));
    try {
      const result = await renderEnvironment(input('staging'));
      assert.equal(result.renderer, 'kustomize');
      const lines = summary(result).map((line) => line.replace(/-[a-z0-9]{10} @/, '-<hash> @'));
      assert.deepEqual(lines, [
        'ConfigMap staging/staging-feature-flags-<hash> @ staging/kustomization.yaml:11',
        'ConfigMap staging/staging-web-config-<hash> @ base/kustomization.yaml:7',
        'Deployment staging/staging-web @ base/deployment.yaml:2 patched by staging/replicas.yaml:2',
        'Namespace -/staging @ staging/namespace.yaml:2',
        'Service staging/staging-web @ base/service.yaml:2',
      ]);
      const deployment = result.objects.find((o) => o.id.kind === 'Deployment');
      assert.equal((deployment?.object.spec as { replicas: number }).replicas, 3, 'the patch was applied by kustomize');
      const flags = result.objects.find((o) => o.id.name.startsWith('staging-feature-flags'));
      assert.deepEqual(flags?.object.data, { 'flags.properties': 'checkout=true\nsearch=false\n' });
      assert.deepEqual(result.files, [
        'base/deployment.yaml',
        'base/kustomization.yaml',
        'base/service.yaml',
        'staging/flags.properties',
        'staging/kustomization.yaml',
        'staging/namespace.yaml',
        'staging/replicas.yaml',
      ]);
      // kubectl warns that patchesStrategicMerge is deprecated: the warning points at the field.
      assert.deepEqual(
        result.problems.map((p) => `${p.severity} ${at(p.location)} ${/deprecated/.test(p.message)}`),
        ['warning staging/kustomization.yaml:8 true'],
      );
    } finally {
      repo.dispose();
    }
  });

  test('a missing resource is located on the line that names it, without temp paths', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'broken'));
    try {
      const result = await renderEnvironment(input('missing-resource'));
      assert.equal(result.objects.length, 0);
      const [problem] = result.problems;
      assert.equal(at(problem.location), 'missing-resource/kustomization.yaml:5');
      assert.match(problem.message, /missing\.yaml/);
      assert.doesNotMatch(problem.message, /\/tmp\//);
      assert.match(problem.hint ?? '', /missing\.yaml does not exist/);
    } finally {
      repo.dispose();
    }
  });

  test('an unknown field is located on its line', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'broken'));
    try {
      const result = await renderEnvironment(input('unknown-field'));
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['unknown-field/kustomization.yaml:5']);
      assert.match(result.problems[0].message, /resourcez/);
    } finally {
      repo.dispose();
    }
  });

  test('a patch that matches nothing points at the patch file', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'broken'));
    try {
      const result = await renderEnvironment(input('bad-patch'));
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['bad-patch/patch.yaml:2']);
    } finally {
      repo.dispose();
    }
  });

  test('invalid kustomization YAML is located at the YAML error', async () => {
    const root = initRepo();
    writeFiles(root, { 'env/kustomization.yaml': 'resources:\n  - a.yaml\n  bad: [\n' });
    commitAll(root, 'broken yaml');
    const { repo, input } = await renderRepoAt(root);
    try {
      const result = await renderEnvironment(input('env'));
      assert.equal(result.problems[0].location?.file, 'env/kustomization.yaml');
      assert.ok(result.problems[0].location?.range, 'has a line');
    } finally {
      repo.dispose();
    }
  });
});

async function renderRepoAt(root: string): Promise<Awaited<ReturnType<typeof renderRepo>>> {
  // Reuse the fixture plumbing on an existing repository.
  const { GitRepository } = await import('../../src/git/gitRepository');
  const { refView } = await import('../../src/git/repoViews');
  const { materializeRef } = await import('../../src/git/materialize');
  const repo = await GitRepository.open(root);
  const cache = tempDir();
  return {
    root,
    repo,
    input: (path, overrides = {}) => ({ view: refView(repo, 'main'), path, trusted: true, materialize: () => materializeRef(repo, 'main', cache), ...overrides }),
  };
}

describe('Restricted Mode, missing tools, timeouts', () => {
  test('untrusted: no process starts (a fake kubectl leaves no marker), files still listed', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'overlay'));
    const marker = join(tempDir(), 'kubectl-ran');
    const kubectl = fakeTool('kubectl', `touch '${marker}'\necho 'apiVersion: v1'\necho 'kind: Namespace'\necho 'metadata: {name: fake}'`);
    let materialized = false;
    try {
      const untrusted = await renderEnvironment(
        input('staging', {
          trusted: false,
          tools: { kubectl },
          materialize: async () => {
            materialized = true;
            return tempDir();
          },
        }),
      );
      assert.equal(existsSync(marker), false, 'kubectl must not run');
      assert.equal(materialized, false, 'nothing is even checked out');
      assert.equal(untrusted.objects.length, 0);
      assert.deepEqual(untrusted.problems.map((p) => `${p.severity} ${at(p.location)}`), ['warning staging/kustomization.yaml:-']);
      assert.match(untrusted.problems[0].message, /Restricted Mode/);
      assert.ok(untrusted.files.includes('base/deployment.yaml'));
      // The same input, trusted: the fake runs (so the check above can fail).
      const trusted = await renderEnvironment(input('staging', { tools: { kubectl } }));
      assert.equal(existsSync(marker), true);
      assert.deepEqual(summary(trusted), ['Namespace -/fake @ staging/kustomization.yaml:-']);
    } finally {
      repo.dispose();
    }
  });

  test('a remote base is refused in Restricted Mode, on its line', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'remote'));
    try {
      const result = await renderEnvironment(input('', { trusted: false }));
      assert.deepEqual(
        result.problems.map((p) => `${p.severity} ${at(p.location)}`),
        ['warning kustomization.yaml:-', 'error kustomization.yaml:5'],
      );
      assert.match(result.problems[1].message, /Remote base github\.com\/example\/platform/);
    } finally {
      repo.dispose();
    }
  });

  test('a hanging kustomize times out with a problem on the remote base line', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'remote'));
    const kustomize = fakeTool('kustomize', 'sleep 30');
    try {
      const started = Date.now();
      const result = await renderEnvironment(input('', { tools: { kustomize }, timeoutMs: 400 }));
      assert.ok(Date.now() - started < 5000, 'returned soon after the timeout');
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['kustomization.yaml:5']);
      assert.match(result.problems[0].message, /did not finish within 400 ms while fetching remote base/);
    } finally {
      repo.dispose();
    }
  });

  test('a hanging kustomize without remote bases times out on the kustomization', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'overlay'));
    const kustomize = fakeTool('kustomize', 'sleep 30');
    try {
      const result = await renderEnvironment(input('staging', { tools: { kustomize }, timeoutMs: 300 }));
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['staging/kustomization.yaml:-']);
      assert.match(result.problems[0].message, /did not finish/);
    } finally {
      repo.dispose();
    }
  });

  test('the real kubectl with a remote base fails (or times out) on the remote base line', async (t) => {
    if (!requirePresent(t, KUBECTL_WHAT, KUBECTL)) return;
    const { repo, input } = await renderRepo(join(FIXTURES, 'remote'));
    try {
      const result = await renderEnvironment(input('', { tools: { kubectl: '/usr/bin/kubectl' }, timeoutMs: 15_000 }));
      assert.equal(at(result.problems[0]?.location), 'kustomization.yaml:5');
    } finally {
      repo.dispose();
    }
  });

  test('a configured executable that does not exist is a located problem', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'overlay'));
    try {
      const result = await renderEnvironment(input('staging', { tools: { kustomize: join(tempDir(), 'nope') } }));
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['staging/kustomization.yaml:-']);
      assert.match(result.problems[0].message, /not found/);
    } finally {
      repo.dispose();
    }
  });

  test('cancellation rejects with the abort reason', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'overlay'));
    const kustomize = fakeTool('kustomize', 'sleep 30');
    try {
      const controller = new AbortController();
      const rendering = renderEnvironment(input('staging', { tools: { kustomize }, signal: controller.signal }));
      setTimeout(() => controller.abort(new Error('user cancelled')), 200);
      await assert.rejects(rendering, /user cancelled/);
    } finally {
      repo.dispose();
    }
  });
});

describe('helm', () => {
  const helmScript = (argsFile: string): string =>
    [
      `printf '%s\\n' "$@" > '${argsFile}'`,
      'cat <<EOF',
      '---',
      '# Source: web-chart/templates/service.yaml',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: $2-web',
      '---',
      '# Source: web-chart/templates/deployment.yaml',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: $2-web',
      'spec:',
      '  replicas: 5',
      'EOF',
    ].join('\n');

  test('helm template runs from PATH with release, chart folder and values files; objects point at templates', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'chart'));
    const argsFile = join(tempDir(), 'args');
    const helm = fakeTool('helm', helmScript(argsFile));
    const saved = process.env.PATH;
    process.env.PATH = `${join(helm, '..')}:${saved}`;
    try {
      const result = await renderEnvironment(input('', { helm: { releaseName: 'shop', namespace: 'prod', valuesFiles: ['values-prod.yaml'] } }));
      assert.equal(result.renderer, 'helm');
      assert.deepEqual(summary(result), ['Deployment -/shop-web @ templates/deployment.yaml:3', 'Service -/shop-web @ templates/service.yaml:2']);
      const args = readFileSync(argsFile, 'utf8').trim().split('\n');
      assert.equal(args[0], 'template');
      assert.equal(args[1], 'shop');
      assert.match(args[2], /^\/.+[0-9a-f]{40}$/, 'the chart folder of the checkout');
      assert.deepEqual(args.slice(3), ['--skip-tests', '--namespace', 'prod', '-f', `${args[2]}/values-prod.yaml`]);
      assert.deepEqual(result.files, ['Chart.yaml', 'templates/deployment.yaml', 'templates/service.yaml', 'values-prod.yaml', 'values.yaml']);
      assert.deepEqual(result.problems, []);
    } finally {
      process.env.PATH = saved;
      repo.dispose();
    }
  });

  test('without helm on PATH: "helm not found on PATH" on Chart.yaml', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'chart'));
    // A PATH with git and nothing else.
    const bin = tempDir();
    const realGit = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'git')).find((path) => existsSync(path));
    symlinkSync(realGit as string, join(bin, 'git'));
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      const result = await renderEnvironment(input(''));
      assert.deepEqual(result.problems.map((p) => `${p.message} @ ${at(p.location)}`), ['helm not found on PATH @ Chart.yaml:-']);
    } finally {
      process.env.PATH = saved;
      repo.dispose();
    }
  });

  test('a helm template error is located in the template', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'chart'));
    const helm = fakeTool('helm', `echo 'Error: parse error at (web-chart/templates/deployment.yaml:7): function "nope" not defined' >&2\nexit 1`);
    try {
      const result = await renderEnvironment(input('', { tools: { helm } }));
      assert.deepEqual(result.problems.map((p) => at(p.location)), ['templates/deployment.yaml:7']);
    } finally {
      repo.dispose();
    }
  });

  test('untrusted: helm does not run', async () => {
    const { repo, input } = await renderRepo(join(FIXTURES, 'chart'));
    const marker = join(tempDir(), 'helm-ran');
    const helm = fakeTool('helm', `touch '${marker}'`);
    try {
      const result = await renderEnvironment(input('', { trusted: false, tools: { helm } }));
      assert.equal(existsSync(marker), false);
      assert.match(result.problems[0].message, /Restricted Mode/);
    } finally {
      repo.dispose();
    }
  });
});

describe('the Flux example repository', () => {
  const flux = join(SHARED_FIXTURES, 'repos', 'flux2-kustomize-helm-example');

  test('apps/staging: the HelmRelease comes from the base and is patched by the staging values', async (t) => {
    if (!requirePresent(t, 'shared fixture repos/flux2-kustomize-helm-example', flux) || !requirePresent(t, KUBECTL_WHAT, KUBECTL)) return;
    // Copied into a temp repository at test time; never into the project.
    const copy = tempDir();
    cpSync(flux, copy, { recursive: true });
    const root = initRepo(copy);
    commitAll(root, 'flux example');
    const { repo, input } = await renderRepoAt(root);
    try {
      const result = await renderEnvironment(input('apps/staging'));
      assert.equal(result.renderer, 'kustomize');
      assert.deepEqual(summary(result), [
        'HelmRelease podinfo/podinfo @ apps/base/podinfo/release.yaml:2 patched by apps/staging/podinfo-values.yaml:2',
        'HelmRepository podinfo/podinfo @ apps/base/podinfo/repository.yaml:2',
        'Namespace -/podinfo @ apps/base/podinfo/namespace.yaml:2',
      ]);
      const release = result.objects.find((o) => o.id.kind === 'HelmRelease');
      assert.deepEqual((release?.object.spec as { values: { httpRoute: { hostnames: string[] } } }).values.httpRoute.hostnames, ['podinfo.staging']);
      assert.deepEqual(result.files, [
        'apps/base/podinfo/kustomization.yaml',
        'apps/base/podinfo/namespace.yaml',
        'apps/base/podinfo/release.yaml',
        'apps/base/podinfo/repository.yaml',
        'apps/staging/kustomization.yaml',
        'apps/staging/podinfo-values.yaml',
      ]);
      assert.deepEqual(result.problems, []);
    } finally {
      repo.dispose();
    }
  });
});
