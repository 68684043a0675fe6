import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { branchFromRevision, substituteTemplate } from '../../src/core/argoDiscovery';
import { discoverEnvironments } from '../../src/core/discovery';
import { MemoryRepoView } from './helpers/memoryRepoView';

function application(name: string, spec: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
${spec}`;
}

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: guestbook\n';

/** An app-of-apps repository: bootstrap/root.yaml points at argocd/, which holds one Application per environment. */
const APP_OF_APPS: Record<string, string> = {
  'bootstrap/root.yaml': application(
    'root',
    `  source:
    repoURL: https://github.com/acme/gitops.git
    targetRevision: HEAD
    path: argocd
  destination:
    server: https://kubernetes.default.svc
    namespace: argocd
`,
  ),
  'argocd/guestbook-prod.yaml': application(
    'guestbook-prod',
    `  source:
    repoURL: https://github.com/acme/gitops.git
    targetRevision: main
    path: envs/prod
  destination:
    name: prod-cluster
    namespace: guestbook
  syncPolicy:
    automated: { prune: true }
`,
  ),
  'argocd/guestbook-dev.yaml': application(
    'guestbook-dev',
    `  source:
    repoURL: git@github.com:acme/gitops.git
    targetRevision: HEAD
    path: ./envs/dev/
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook-dev
`,
  ),
  'argocd/guestbook-staging.yaml': application(
    'guestbook-staging',
    `  source:
    repoURL: https://github.com/acme/gitops.git
    targetRevision: v1.4.2
    path: envs/staging
  destination:
    name: staging
`,
  ),
  'envs/dev/deployment.yaml': DEPLOYMENT,
  'envs/staging/deployment.yaml': DEPLOYMENT,
  'envs/prod/deployment.yaml': DEPLOYMENT,
  'README.md': '# gitops\nargoproj.io\nkind: Application\n',
};

describe('Argo CD discovery: Applications', () => {
  it('finds one environment per Application, in ladder order, skipping the app-of-apps', async () => {
    const result = await discoverEnvironments(new MemoryRepoView(APP_OF_APPS, ['main', 'dev', 'prod']));
    assert.equal(result.source, 'argocd');
    assert.equal(result.configFile, null);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map(({ declaredAt: _d, ...e }) => e),
      [
        { name: 'guestbook-dev', repo: null, branch: null, path: 'envs/dev', cluster: { context: null, namespace: 'guestbook-dev' }, protected: false, source: 'argocd', order: 0 },
        { name: 'guestbook-staging', repo: null, branch: null, path: 'envs/staging', cluster: { context: 'staging', namespace: null }, protected: false, source: 'argocd', order: 1 },
        { name: 'guestbook-prod', repo: null, branch: 'main', path: 'envs/prod', cluster: { context: 'prod-cluster', namespace: 'guestbook' }, protected: true, source: 'argocd', order: 2 },
      ],
    );
    assert.deepEqual(result.environments[0].declaredAt?.file, 'argocd/guestbook-dev.yaml');
    assert.equal(result.environments[0].declaredAt?.range?.start.line, 1);
  });

  it('treats repoURL as another repository when it matches none of the remotes', async () => {
    const result = await discoverEnvironments(new MemoryRepoView(APP_OF_APPS), { remoteUrls: ['git@github.com:acme/other.git'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo]),
      [
        ['guestbook-dev', 'git@github.com:acme/gitops.git'],
        ['guestbook-staging', 'https://github.com/acme/gitops.git'],
        ['guestbook-prod', 'https://github.com/acme/gitops.git'],
        ['root', 'https://github.com/acme/gitops.git'],
      ],
    );
  });

  it('treats repoURL as this repository when it matches a remote written differently', async () => {
    const result = await discoverEnvironments(new MemoryRepoView(APP_OF_APPS), { remoteUrls: ['git@github.com:Acme/GitOps'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo]),
      [
        ['guestbook-dev', null],
        ['guestbook-staging', null],
        ['guestbook-prod', null],
      ],
    );
  });

  it('uses the repoURL (without credentials) when the path is not a folder here', async () => {
    const files = {
      'apps/web-dev.yaml': application('web-dev', '  source:\n    repoURL: https://bot:s3cret@gitlab.com/acme/web-config.git\n    targetRevision: develop\n    path: overlays/dev\n  destination:\n    name: dev\n'),
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.branch, e.path]),
      [['web-dev', 'https://bot@gitlab.com/acme/web-config.git', 'develop', 'overlays/dev']],
    );
  });

  it('skips Helm-chart-only applications with a warning and reads multi-source Git paths', async () => {
    const files = {
      'argocd/apps.yaml': [
        application(
          'redis-prod',
          '  sources:\n    - repoURL: https://charts.bitnami.com/bitnami\n      chart: redis\n      targetRevision: 18.1.0\n      helm:\n        valueFiles: [$values/values/prod.yaml]\n    - repoURL: https://github.com/acme/gitops.git\n      targetRevision: main\n      ref: values\n  destination:\n    name: prod\n',
        ),
        application(
          'web-qa',
          '  sources:\n    - repoURL: https://github.com/acme/gitops.git\n      targetRevision: main\n      ref: values\n    - repoURL: https://github.com/acme/gitops.git\n      targetRevision: refs/heads/qa\n      path: web/qa\n  destination:\n    name: qa\n',
        ),
      ].join('---\n'),
      'web/qa/kustomization.yaml': 'resources: []\n',
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.path, e.repo]),
      [['web-qa', 'qa', 'web/qa', null]],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /"redis-prod" is not used as an environment: it deploys a Helm chart/);
    assert.equal(result.problems[0].location?.file, 'argocd/apps.yaml');
  });

  it('turns a malformed manifest into a located warning and keeps discovering', async () => {
    const files = {
      ...APP_OF_APPS,
      'argocd/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: broken\n spec: [\n',
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.equal(result.environments.length, 3);
    const problem = result.problems.find((p) => p.location?.file === 'argocd/broken.yaml');
    assert.ok(problem, JSON.stringify(result.problems));
    assert.equal(problem.severity, 'warning');
    assert.ok(problem.location?.range && problem.location.range.start.line >= 4);
  });
});

const APPLICATION_SET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
          - env: prod-eu
            cluster: eu-prod
            branch: release
          - env: dev
            cluster: dev-cluster
            branch: develop
          - env: staging-asia
            cluster: asia-staging
            branch: staging
            values:
              namespace: web-asia
  template:
    metadata:
      name: 'web-{{.env}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/web-config.git
        targetRevision: '{{.branch}}'
        path: 'overlays/{{.env}}'
      destination:
        name: '{{.cluster}}'
        namespace: '{{ .values.namespace }}'
`;

describe('Argo CD discovery: ApplicationSets', () => {
  it('makes one environment per list element, with template values substituted', async () => {
    const files = {
      'argocd/web-appset.yaml': APPLICATION_SET,
      'overlays/dev/kustomization.yaml': 'resources: []\n',
      'overlays/staging-asia/kustomization.yaml': 'resources: []\n',
      'overlays/prod-eu/kustomization.yaml': 'resources: []\n',
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.equal(result.source, 'argocd');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.order, e.name, e.branch, e.path, e.cluster.context, e.cluster.namespace, e.protected]),
      [
        [0, 'dev', 'develop', 'overlays/dev', 'dev-cluster', null, false],
        [1, 'staging-asia', 'staging', 'overlays/staging-asia', 'asia-staging', 'web-asia', false],
        [2, 'prod-eu', 'release', 'overlays/prod-eu', 'eu-prod', null, true],
      ],
    );
    // Each environment points at its own list element.
    assert.deepEqual(
      result.environments.map((e) => e.declaredAt?.range?.start.line),
      [14, 17, 11],
    );
  });

  it('names environments after the rendered Application when elements have no env key, and reports other generators', async () => {
    const files = {
      'appsets/guestbook.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - list:
        elements:
          - cluster: engineering-dev
            url: https://1.2.3.4
          - cluster: engineering-prod
            url: https://2.4.6.8
    - clusters: {}
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps.git
        targetRevision: HEAD
        path: guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
`,
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.repo, e.cluster.context]),
      [
        ['engineering-dev-guestbook', 'guestbook/engineering-dev', 'https://github.com/argoproj/argocd-example-apps.git', null],
        ['engineering-prod-guestbook', 'guestbook/engineering-prod', 'https://github.com/argoproj/argocd-example-apps.git', null],
      ],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /the clusters generator needs the cluster .*; it is not expanded offline/);
    assert.equal(result.problems[0].location?.range?.start.line, 13);
  });

  it('reports an element whose name cannot be rendered', async () => {
    const files = {
      'appsets/x.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: x }
spec:
  generators:
    - list: { elements: [ { other: 1 } ] }
  template:
    metadata: { name: '{{ index .metadata.labels "env" }}' }
    spec: { source: { repoURL: https://github.com/a/b, path: x }, destination: { name: c } }
`,
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.deepEqual(result.environments, []);
    assert.match(result.problems[0].message, /cannot tell the environment name of list element 1/);
  });
});

describe('branchFromRevision', () => {
  const cases: Array<[unknown, string | null]> = [
    ['main', 'main'],
    ['env/prod', 'env/prod'],
    ['refs/heads/release', 'release'],
    ['HEAD', null],
    ['', null],
    [undefined, null],
    ['v1.2.3', null],
    ['1.0', null],
    ['1.2.3-rc.1', null],
    ['refs/tags/v1', null],
    ['3f2a9c1', null],
    ['3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39', null],
    ['1.*', null],
    ['>=1.0.0 <2.0.0', null],
    ['feature..x', null],
  ];
  for (const [revision, branch] of cases) {
    it(`reads ${JSON.stringify(revision)} as ${JSON.stringify(branch)}`, () => assert.equal(branchFromRevision(revision), branch));
  }
});

describe('substituteTemplate', () => {
  it('fills fasttemplate and Go-template placeholders, nested keys too, and leaves unknown ones', () => {
    const params = { env: 'dev', values: { ns: 'web' }, n: 3 };
    assert.equal(substituteTemplate('{{env}}-{{ .env }}-{{.values.ns}}-{{n}}-{{missing}}-{{- .env -}}', params), 'dev-dev-web-3-{{missing}}-dev');
  });
});

describe('Argo CD Applications of one chart with values files of their own', () => {
  const application = (env: string, valueFiles: string[]): string =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-${env}\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://git.example.test/acme/gitops.git\n    path: charts/shop\n    helm:\n      valueFiles:\n${valueFiles.map((f) => `        - ${JSON.stringify(f)}\n`).join('')}  destination:\n    name: ${env}\n    namespace: shop\n`;
  const chart = { 'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n', 'charts/shop/values.yaml': 'a: 1\n', 'charts/common/values.yaml': 'b: 1\n' };

  it("each environment's valuesFiles are its Application's list, resolved from the chart folder; URLs, other sources and paths outside the repository are left out", async () => {
    const files: Record<string, string> = { ...chart };
    for (const env of ['dev', 'prod']) {
      files[`charts/shop/values-${env}.yaml`] = `env: ${env}\n`;
      files[`argocd/shop-${env}.yaml`] = application(env, [`values-${env}.yaml`, '../common/values.yaml', './extra.yaml', '$values/envs/x.yaml', 'https://example.test/values.yaml', '../../../escape.yaml']);
    }
    const result = await discoverEnvironments(new MemoryRepoView(files), { remoteUrls: ['https://git.example.test/acme/gitops.git'] });
    assert.equal(result.source, 'argocd');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.valuesFiles]),
      ['dev', 'prod'].map((env) => [`shop-${env}`, [`charts/shop/values-${env}.yaml`, 'charts/common/values.yaml', 'charts/shop/extra.yaml']]),
    );
  });

  it('with ignoreMissingValueFiles (the list may name files that do not exist), the files are found by their names', async () => {
    const files: Record<string, string> = { ...chart };
    for (const env of ['dev', 'prod']) {
      files[`charts/shop/values-${env}.yaml`] = `env: ${env}\n`;
      files[`argocd/shop-${env}.yaml`] = application(env, [`values-${env}.yaml`, 'missing.yaml']).replace('    helm:\n', '    helm:\n      ignoreMissingValueFiles: true\n');
    }
    const result = await discoverEnvironments(new MemoryRepoView(files), { remoteUrls: ['https://git.example.test/acme/gitops.git'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.valuesFiles]),
      ['dev', 'prod'].map((env) => [`shop-${env}`, [`charts/shop/values-${env}.yaml`]]),
    );
  });

  it('without a list, the files are found by their names', async () => {
    const files: Record<string, string> = { ...chart };
    for (const env of ['dev', 'prod']) {
      files[`charts/shop/values-${env}.yaml`] = `env: ${env}\n`;
      files[`argocd/shop-${env}.yaml`] = application(env, []).replace('    helm:\n      valueFiles:\n', '');
    }
    const result = await discoverEnvironments(new MemoryRepoView(files), { remoteUrls: ['https://git.example.test/acme/gitops.git'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.valuesFiles]),
      ['dev', 'prod'].map((env) => [`shop-${env}`, [`charts/shop/values-${env}.yaml`]]),
    );
  });
});
