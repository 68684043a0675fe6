// Small generated repositories of every layout in LAYOUTS.md, as path → text maps for MemoryRepoView
// (and for real git repositories in integration tests). Each builder says which environments a
// reader of the repository would name, so tests compare discovery with that.

export type Files = Record<string, string>;

export const KUSTOMIZATION = (resources: string[], extra = ''): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n${extra}`;

export const DEPLOYMENT = (name: string, image = 'ghcr.io/acme/shop:1.0.0'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;

/** Layout 1: base, kustomize components per tier and region, one overlay per environment. */
export const LAYOUT1_ENVIRONMENTS = ['int', 'qa', 'perf', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us'];
export function folderPerEnvironment(): Files {
  const files: Files = {
    'base/deployment.yml': DEPLOYMENT('shop'),
    'base/service.yml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n',
    'base/kustomization.yml': KUSTOMIZATION(['deployment.yml', 'service.yml']),
    'README.md': '# shop environments\n',
  };
  for (const variant of ['prod', 'non-prod', 'eu', 'us', 'asia']) {
    files[`variants/${variant}/kustomization.yaml`] = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
  }
  for (const env of LAYOUT1_ENVIRONMENTS) {
    const tier = env.startsWith('prod') ? 'prod' : 'non-prod';
    const region = env.split('-')[1];
    files[`envs/${env}/kustomization.yaml`] = KUSTOMIZATION(
      ['../../base'],
      `namespace: ${env}\nnamePrefix: ${env}-\ncomponents:\n  - ../../variants/${tier}\n${region ? `  - ../../variants/${region}\n` : ''}patches:\n  - path: env-patch.yaml\n  - path: scale.yaml\n`,
    );
    files[`envs/${env}/env-patch.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          env:\n            - { name: STAGE, value: "${env}" }\n`;
    files[`envs/${env}/scale.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: ${env.startsWith('prod') ? 5 : 1}\n`;
  }
  return files;
}

/** Layout 2: the files every environment branch holds (base and every environment's folder). */
export const LAYOUT2_ENVIRONMENTS = ['int', 'qa', 'perf-large', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us'];
export function branchTreeFiles(): Files {
  const files: Files = { 'base/deployment.yaml': DEPLOYMENT('shop'), 'base/kustomization.yaml': KUSTOMIZATION(['deployment.yaml']) };
  for (const env of LAYOUT2_ENVIRONMENTS) files[`envs/${env}/kustomization.yaml`] = KUSTOMIZATION(['../../base'], `namespace: ${env}\n`);
  return files;
}
/** Branches of a layout-2 repository that are not environments. */
export const NOT_ENVIRONMENT_BRANCHES = ['main', 'master', 'feature/login', 'feature/prod-eu-fix', 'release-1.2', 'release/2.0', 'renovate/kustomize-5.x', 'dependabot/npm_and_yarn/yaml-2.4', 'tenant-acme', 'tenants/globex', 'hotfix', 'hotfix-123', 'dev-fix-login', 'prod-hotfix', 'staging-to-prod', 'bugfix/qa-timeout'];

export const APPS = ['frontend', 'backend', 'payments'];
export const APP_ENVIRONMENTS = ['dev', 'staging', 'prod'];

function appOverlays(apps: readonly string[], envs: readonly string[], folder: (app: string, env: string) => string): Files {
  const files: Files = {};
  for (const app of apps) {
    for (const env of envs) {
      files[`${folder(app, env)}/kustomization.yaml`] = KUSTOMIZATION(['../../base'], `namespace: ${app}-${env}\n`);
    }
  }
  return files;
}

/** Layout 3: apps/<app>/{base, overlays/<env>} and an ApplicationSet over apps/*\/overlays/*. */
export function manyAppsWithApplicationSet(apps: readonly string[] = APPS, envs: readonly string[] = APP_ENVIRONMENTS, generator = GIT_DIRECTORIES): Files {
  const files: Files = { 'argocd/appset.yaml': applicationSet(generator) };
  for (const app of apps) {
    files[`apps/${app}/base/deployment.yaml`] = DEPLOYMENT(app);
    files[`apps/${app}/base/kustomization.yaml`] = KUSTOMIZATION(['deployment.yaml']);
  }
  return { ...files, ...appOverlays(apps, envs, (app, env) => `apps/${app}/overlays/${env}`) };
}

export const GIT_DIRECTORIES = `    - git:
        repoURL: https://github.com/acme/gitops.git
        revision: HEAD
        directories:
          - path: apps/*/overlays/*
          - path: apps/legacy/overlays/*
            exclude: true
`;

export function applicationSet(generators: string, template = FASTTEMPLATE, goTemplate = false): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: shop
  namespace: argocd
spec:
${goTemplate ? '  goTemplate: true\n' : ''}  generators:
${generators}  template:
${template}`;
}

export const FASTTEMPLATE = `    metadata:
      name: '{{path[1]}}-{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/gitops.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        name: in-cluster
        namespace: '{{path[1]}}-{{path.basename}}'
`;

export const GOTEMPLATE = `    metadata:
      name: '{{index .path.segments 1}}-{{.path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/gitops.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination:
        name: '{{.path.basename}}-cluster'
        namespace: '{{.path.basename}}'
`;

/** Layout 3 variants without Argo CD. */
export function appEnvFolders(): Files {
  return appOverlays(APPS, APP_ENVIRONMENTS, (app, env) => `${app}/${env}`);
}
export function envAppFolders(): Files {
  return appOverlays(APPS, APP_ENVIRONMENTS, (app, env) => `${env}/${app}`);
}
export function helmValuesPerEnvironment(): Files {
  const files: Files = {};
  for (const app of APPS) {
    files[`charts/${app}/Chart.yaml`] = `apiVersion: v2\nname: ${app}\nversion: 1.0.0\n`;
    files[`charts/${app}/values.yaml`] = 'replicas: 1\n';
    files[`charts/${app}/templates/deployment.yaml`] = 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n';
    for (const env of APP_ENVIRONMENTS) files[`charts/${app}/values-${env}.yaml`] = `replicas: ${env === 'prod' ? 3 : 1}\n`;
  }
  return files;
}

/** Layout 4: Kargo stages over env/<stage>, the promotion steps in a PromotionTask. */
export function kargoStages(stageOrder: 'file' | 'reversed' = 'reversed'): Files {
  const stage = (name: string, sources: string): string => `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
  namespace: shop
spec:
  requestedFreight:
    - origin:
        kind: Warehouse
        name: shop
      sources:
${sources}
  promotionTemplate:
    spec:
      steps:
        - task:
            name: promote
`;
  const stages = [stage('dev', '        direct: true'), stage('staging', '        stages: [dev]'), stage('prod', '        stages:\n          - staging')];
  return {
    'env/dev/kustomization.yaml': KUSTOMIZATION(['../../base'], 'namespace: shop-dev\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: 1.2.0\n'),
    'env/staging/kustomization.yaml': KUSTOMIZATION(['../../base'], 'namespace: shop-staging\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: 1.1.0\n'),
    'env/prod/kustomization.yaml': KUSTOMIZATION(['../../base'], 'namespace: shop-prod\nimages:\n  - name: ghcr.io/acme/shop\n    newTag: 1.0.0\n'),
    'base/deployment.yaml': DEPLOYMENT('shop'),
    'base/kustomization.yaml': KUSTOMIZATION(['deployment.yaml']),
    'kargo/stages.yaml': (stageOrder === 'reversed' ? [...stages].reverse() : stages).join('---\n'),
    'kargo/promotiontask.yaml': `apiVersion: kargo.akuity.io/v1alpha1
kind: PromotionTask
metadata:
  name: promote
  namespace: shop
spec:
  vars:
    - name: repoURL
      value: https://github.com/acme/shop-gitops.git
    - name: envRoot
      value: env
  steps:
    - uses: git-clone
      config:
        repoURL: \${{ vars.repoURL }}
        checkout:
          - branch: main
            path: ./src
    - uses: kustomize-set-image
      as: update
      config:
        path: ./src/\${{ vars.envRoot }}/\${{ ctx.stage }}
        images:
          - image: ghcr.io/acme/shop
    - uses: git-commit
      config:
        path: ./src
    - uses: git-push
      config:
        path: ./src
`,
  };
}

/** Layout 5: Flux, one entry folder per cluster, shared infrastructure, and a tenant's branch. */
export function fluxClusters(): Files {
  const kustomization = (name: string, path: string, source = 'flux-system'): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: ${source}
  path: ${path}
  prune: true
`;
  const files: Files = {};
  for (const cluster of ['staging', 'production']) {
    files[`clusters/${cluster}/flux-system/gotk-sync.yaml`] = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: ssh://git@github.com/acme/fleet
  ref:
    branch: main
---
${kustomization('flux-system', `./clusters/${cluster}`)}`;
    files[`clusters/${cluster}/infrastructure.yaml`] = `${kustomization('infra-controllers', './infrastructure/controllers')}---\n${kustomization('infra-configs', './infrastructure/configs')}`;
    files[`clusters/${cluster}/apps.yaml`] = kustomization('apps', `./apps/${cluster}`);
    files[`clusters/${cluster}/tenants.yaml`] = kustomization('tenants', `./tenants/${cluster}`);
    files[`apps/${cluster}/kustomization.yaml`] = KUSTOMIZATION(['../base/podinfo'], `patches:\n  - path: podinfo-values.yaml\n`);
    files[`apps/${cluster}/podinfo-values.yaml`] = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  values:\n    ingress:\n      hosts: [podinfo.${cluster}.example.com]\n`;
    files[`tenants/${cluster}/kustomization.yaml`] = KUSTOMIZATION(['../base/team-a']);
  }
  files['apps/base/podinfo/kustomization.yaml'] = KUSTOMIZATION(['release.yaml']);
  files['apps/base/podinfo/release.yaml'] = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n';
  files['infrastructure/controllers/kustomization.yaml'] = KUSTOMIZATION(['cert-manager.yaml']);
  files['infrastructure/configs/kustomization.yaml'] = KUSTOMIZATION(['issuers.yaml']);
  // The tenant's own branch of this repository: a source, not an environment.
  files['tenants/base/team-a/sync.yaml'] = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: team-a
  namespace: team-a
spec:
  url: ssh://git@github.com/acme/fleet
  ref:
    branch: tenant-team-a
---
${kustomization('team-a', './deploy', 'team-a')}`;
  files['tenants/base/team-a/kustomization.yaml'] = KUSTOMIZATION(['sync.yaml']);
  return files;
}

/** Layout 7: an app-of-apps chart listing applications, deployed once. */
export function applicationCatalogue(): Files {
  const files: Files = {
    'root-app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/catalogue.git
    targetRevision: HEAD
    path: apps
  destination:
    server: https://kubernetes.default.svc
    namespace: argocd
`,
    'apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 1.0.0\n',
    'apps/values.yaml': 'spec:\n  destination:\n    server: https://kubernetes.default.svc\n',
  };
  for (const app of ['grafana', 'prometheus', 'loki', 'cert-manager']) {
    files[`apps/templates/${app}.yaml`] = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${app}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/catalogue.git
    targetRevision: HEAD
    path: charts/${app}
  destination:
    server: {{ .Values.spec.destination.server }}
    namespace: ${app}
`;
    files[`charts/${app}/Chart.yaml`] = `apiVersion: v2\nname: ${app}\nversion: 1.0.0\n`;
  }
  return files;
}
