// Generated repositories of layout 1 (LAYOUTS.md): a base, kustomize components
// (`variants/prod`, `variants/eu`) and overlays `envs/<env>` with namespace, namePrefix, an image
// patch, a scale patch, an env-var patch, `images:` and `replicas:` transformers, a JSON 6902
// patch, labels and a configMapGenerator merge. A seed picks which pieces each overlay has and
// their order, so the blame property runs over many shapes.

import { seededRandom } from '../../support/seededRandom';

export { seededRandom };

export interface OverlayRepoOptions {
  seed: number;
  envs?: readonly string[];
}

export interface OverlayEnv {
  name: string;
  folder: string;
  /** Which pieces this overlay has (for targeted assertions). */
  has: {
    imagePatch: boolean;
    scalePatch: boolean;
    envPatch: boolean;
    imagesTransformer: boolean;
    replicasTransformer: boolean;
    json6902: boolean;
    generatorMerge: boolean;
    labels: boolean;
    /** An inline `patch: |-` entry (annotations on the Service). */
    inlinePatch: boolean;
    /** The deprecated patchesStrategicMerge field, deleting the sidecar with `$patch: delete`. */
    deleteSidecar: boolean;
    /** configMapGenerator `behavior: replace` instead of merge. */
    generatorReplace: boolean;
    components: string[];
  };
}

export interface OverlayRepo {
  files: Record<string, string>;
  envs: OverlayEnv[];
}

const BASE_DEPLOYMENT = (replicas: number, sidecar: boolean): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop',
    '  labels:',
    '    app: shop',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    '      app: shop',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: shop',
    '    spec:',
    '      containers:',
    '        - name: shop',
    '          image: registry.example.com/shop:1.0.0',
    '          ports:',
    '            - containerPort: 8080',
    '          env:',
    '            - name: STAGE',
    '              value: base',
    '            - name: LOG_LEVEL',
    '              value: info',
    '          resources:',
    '            requests:',
    '              cpu: 100m',
    '              memory: 128Mi',
    // A reference kustomize renames with the generated ConfigMap (prefix and content hash).
    '          envFrom:',
    '            - configMapRef:',
    '                name: app-config',
    ...(sidecar ? ['        - name: proxy', '          image: envoyproxy/envoy:v1.30.0', '          args: ["--log-level", "warn"]'] : []),
    '',
  ].join('\n');

const BASE_SERVICE = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: shop',
  'spec:',
  '  selector:',
  '    app: shop',
  '  ports:',
  '    - port: 80',
  '      targetPort: 8080',
  '',
].join('\n');

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function overlayRepo(options: OverlayRepoOptions): OverlayRepo {
  const random = seededRandom(options.seed);
  const chance = (p: number): boolean => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const sidecar = chance(0.5);
  const files: Record<string, string> = {
    'base/deployment.yaml': BASE_DEPLOYMENT(pick([1, 2, 3]), sidecar),
    'base/service.yaml': BASE_SERVICE,
    'base/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - deployment.yaml',
      '  - service.yaml',
      ...(chance(0.5) ? ['commonLabels:', '  part-of: shop-suite'] : []),
      'configMapGenerator:',
      '  - name: app-config',
      '    literals:',
      '      - GREETING=hello',
      '      - TIMEOUT=30s',
      '',
    ].join('\n'),
    'variants/prod/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1alpha1',
      'kind: Component',
      'patches:',
      '  - path: resources.yaml',
      ...(chance(0.5) ? ['commonAnnotations:', '  tier: production'] : []),
      '',
    ].join('\n'),
    'variants/prod/resources.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: shop',
      '          resources:',
      '            limits:',
      '              cpu: "2"',
      '              memory: 1Gi',
      '',
    ].join('\n'),
    'variants/eu/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1alpha1',
      'kind: Component',
      'patches:',
      '  - path: region.yaml',
      '',
    ].join('\n'),
    'variants/eu/region.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: shop',
      '          env:',
      '            - name: REGION',
      '              value: eu-west-1',
      '',
    ].join('\n'),
  };
  const envs: OverlayEnv[] = [];
  for (const name of options.envs ?? ['dev', 'staging-eu', 'prod-eu']) {
    const folder = `envs/${name}`;
    const components = name.startsWith('prod') ? ['../../variants/prod'] : [];
    if (name.endsWith('-eu')) components.push('../../variants/eu');
    const has: OverlayEnv['has'] = {
      imagePatch: chance(0.7),
      scalePatch: chance(0.7),
      envPatch: chance(0.7),
      imagesTransformer: chance(0.6),
      replicasTransformer: chance(0.5),
      json6902: chance(0.6),
      generatorMerge: chance(0.6),
      labels: chance(0.5),
      inlinePatch: chance(0.5),
      deleteSidecar: sidecar && chance(0.5),
      generatorReplace: chance(0.3),
      components: shuffle(components, random),
    };
    const patches: string[][] = [];
    if (has.imagePatch) {
      files[`${folder}/image.yaml`] = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: shop',
        `          image: registry.example.com/shop:1.${pick([1, 2, 3])}.0`,
        '',
      ].join('\n');
      patches.push(['  - path: image.yaml']);
    }
    if (has.scalePatch) {
      files[`${folder}/scale.yaml`] = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        `  replicas: ${pick([4, 5, 8])}`,
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: shop',
        '          resources:',
        '            requests:',
        `              memory: ${pick(['256Mi', '512Mi'])}`,
        '',
      ].join('\n');
      patches.push(['  - path: scale.yaml']);
    }
    if (has.envPatch) {
      files[`${folder}/env-patch.yaml`] = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: shop',
        '          env:',
        '            - name: STAGE',
        `              value: "${name}"`,
        ...(chance(0.5) ? ['            - name: FEATURE_FLAGS', '              value: checkout,search'] : []),
        '',
      ].join('\n');
      patches.push(['  - path: env-patch.yaml']);
    }
    if (has.json6902) {
      files[`${folder}/json-patch.yaml`] = [
        '- op: add',
        '  path: /spec/template/spec/containers/0/args',
        '  value:',
        '    - --verbose',
        `    - --env=${name}`,
        // An index into a list an env patch may have reordered, depending on the order of `patches:`.
        '- op: replace',
        '  path: /spec/template/spec/containers/0/env/1/value',
        '  value: set-by-json-patch',
        '- op: add',
        '  path: /spec/minReadySeconds',
        `  value: ${pick([5, 10])}`,
        '',
      ].join('\n');
      patches.push(['  - path: json-patch.yaml', '    target:', '      kind: Deployment', '      name: shop']);
    }
    if (has.inlinePatch) {
      patches.push([
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: Service',
        '      metadata:',
        '        name: shop',
        '        annotations:',
        `          owner: team-${name}`,
        '      spec:',
        '        ports:',
        '          - port: 80',
        '            targetPort: 9090',
      ]);
    }
    if (has.deleteSidecar) {
      files[`${folder}/no-proxy.yaml`] = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: proxy',
        '          $patch: delete',
        '',
      ].join('\n');
    }
    const generator = has.generatorReplace
      ? ['configMapGenerator:', '  - name: app-config', '    behavior: replace', '    literals:', `      - ONLY=${name}`]
      : ['configMapGenerator:', '  - name: app-config', '    behavior: merge', '    literals:', `      - TIMEOUT=${pick(['45s', '60s'])}`, `      - ENVIRONMENT=${name}`];
    const kustomization = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `namespace: shop-${name}`,
      `namePrefix: ${name}-`,
      'resources:',
      '  - ../../base',
      ...(has.components.length > 0 ? ['components:', ...has.components.map((c) => `  - ${c}`)] : []),
      ...(patches.length > 0 ? ['patches:', ...shuffle(patches, random).flat()] : []),
      ...(has.imagesTransformer ? ['images:', '  - name: registry.example.com/shop', `    newTag: 2.${pick([0, 1, 4])}.0`] : []),
      ...(has.replicasTransformer ? ['replicas:', '  - name: shop', `    count: ${pick([6, 7, 9])}`] : []),
      ...(has.generatorMerge ? generator : []),
      ...(has.deleteSidecar ? ['patchesStrategicMerge:', '  - no-proxy.yaml'] : []),
      ...(has.labels ? ['labels:', '  - pairs:', `      env: ${name}`, `    includeSelectors: ${chance(0.5)}`] : []),
      '',
    ].join('\n');
    files[`${folder}/kustomization.yaml`] = kustomization;
    envs.push({ name, folder, has });
  }
  return { files, envs };
}
