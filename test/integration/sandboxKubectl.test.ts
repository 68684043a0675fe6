// The sandbox cluster, refereed by the real kubectl: what kubectl does against it must work the
// way it does against a real API server.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { at, kubectlEnv, list, record, startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

const shopManifests = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: shop
stringData:
  password: s3cret
`;

function json(text: string): Record<string, unknown> {
  return record(JSON.parse(text));
}

describe('sandbox cluster refereed by kubectl', () => {
  let t: TestSandbox;
  let shopFile: string;

  before(async () => {
    t = await startTestSandbox({ bookmarkIntervalMs: 200 });
    shopFile = t.writeFile('shop.yaml', shopManifests);
  });

  after(async () => {
    await t.close();
  });

  it('answers kubectl version and lists built-in and GitOps kinds in api-resources', async () => {
    const version = await t.kubectl(['version', '-o', 'json']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(at(json(version.stdout), 'serverVersion', 'gitVersion'), 'v1.32.0');

    const resources = await t.kubectl(['api-resources', '--no-headers']);
    assert.equal(resources.code, 0, resources.stderr);
    const rows = resources.stdout.split('\n').map((line) => line.trim().split(/\s+/));
    const row = (name: string): string[] | undefined => rows.find((cells) => cells[0] === name);
    assert.deepEqual(row('deployments'), ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    assert.deepEqual(row('namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.deepEqual(row('customresourcedefinitions'), ['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition']);
    assert.deepEqual(row('applications'), ['applications', 'app,apps', 'argoproj.io/v1alpha1', 'true', 'Application']);
    assert.deepEqual(row('kustomizations'), ['kustomizations', 'ks', 'kustomize.toolkit.fluxcd.io/v1', 'true', 'Kustomization']);
    assert.deepEqual(row('helmreleases'), ['helmreleases', 'hr', 'helm.toolkit.fluxcd.io/v2', 'true', 'HelmRelease']);
    for (const name of ['configmaps', 'secrets', 'services', 'serviceaccounts', 'pods', 'endpoints', 'events', 'persistentvolumeclaims', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'ingresses', 'networkpolicies', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'horizontalpodautoscalers', 'applicationsets', 'appprojects', 'gitrepositories', 'ocirepositories', 'helmrepositories']) {
      assert.ok(row(name), `api-resources lists ${name}`);
    }
  });

  it('applies server-side and reads back the fields a real API server sets and defaults', async () => {
    const applied = await t.kubectl(['apply', '--server-side', '-f', shopFile]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /deployment\.apps\/web serverside-applied/);

    const deployment = json((await t.kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json', '--show-managed-fields'])).stdout);
    const metadata = record(deployment.metadata);
    assert.match(String(metadata.uid), /^[0-9a-f-]{36}$/);
    assert.match(String(metadata.resourceVersion), /^\d+$/);
    assert.equal(metadata.generation, 1);
    assert.match(String(metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const applyEntry = list(metadata.managedFields).map(record).find((entry) => entry.manager === 'kubectl' && entry.operation === 'Apply');
    assert.ok(applyEntry, 'kubectl owns its fields through an Apply entry');
    assert.deepEqual(at(applyEntry, 'fieldsV1', 'f:spec', 'f:replicas'), {});
    assert.deepEqual(at(applyEntry, 'fieldsV1', 'f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}', '.'), {});

    const spec = record(deployment.spec);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    const podSpec = record(at(spec, 'template', 'spec'));
    assert.equal(podSpec.restartPolicy, 'Always');
    assert.equal(podSpec.dnsPolicy, 'ClusterFirst');
    assert.equal(podSpec.schedulerName, 'default-scheduler');
    assert.deepEqual(podSpec.securityContext, {});
    assert.equal(podSpec.terminationGracePeriodSeconds, 30);
    const [nginx, sidecar] = list(podSpec.containers).map(record);
    assert.equal(nginx.imagePullPolicy, 'IfNotPresent');
    assert.equal(sidecar.imagePullPolicy, 'Always', 'untagged images default to Always');
    assert.equal(nginx.terminationMessagePath, '/dev/termination-log');
    assert.equal(nginx.terminationMessagePolicy, 'File');
    assert.deepEqual(nginx.ports, [{ containerPort: 80, protocol: 'TCP' }]);

    const service = json((await t.kubectl(['get', 'service', 'web', '-n', 'shop', '-o', 'json'])).stdout);
    const serviceSpec = record(service.spec);
    assert.match(String(serviceSpec.clusterIP), /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    assert.deepEqual(serviceSpec.clusterIPs, [serviceSpec.clusterIP]);
    assert.equal(serviceSpec.type, 'ClusterIP');
    assert.equal(serviceSpec.sessionAffinity, 'None');
    assert.deepEqual(serviceSpec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.deepEqual(serviceSpec.ipFamilies, ['IPv4']);
    assert.equal(serviceSpec.ipFamilyPolicy, 'SingleStack');
    assert.equal(serviceSpec.internalTrafficPolicy, 'Cluster');

    const secret = json((await t.kubectl(['get', 'secret', 'creds', '-n', 'shop', '-o', 'json'])).stdout);
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(secret.data, { password: Buffer.from('s3cret').toString('base64') });
    assert.equal(secret.stringData, undefined);

    const namespace = json((await t.kubectl(['get', 'namespace', 'shop', '-o', 'json'])).stdout);
    assert.equal(at(namespace, 'status', 'phase'), 'Active');
    assert.equal(at(namespace, 'metadata', 'labels', 'kubernetes.io/metadata.name'), 'shop');
    const inNamespace = await t.kubectl(['get', 'serviceaccount', 'default', '-n', 'shop', '-o', 'name']);
    assert.equal(inNamespace.stdout.trim(), 'serviceaccount/default', 'a new namespace gets its default ServiceAccount');
  });

  it('fills Deployment status so kubectl rollout status is satisfied', async () => {
    const rollout = await t.kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=10s']);
    assert.equal(rollout.code, 0, rollout.stderr);
    assert.match(rollout.stdout, /successfully rolled out/);
    const status = record(json((await t.kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json'])).stdout).status);
    assert.equal(status.observedGeneration, 1);
    assert.equal(status.replicas, 2);
    assert.equal(status.readyReplicas, 2);
    assert.equal(status.availableReplicas, 2);
    assert.equal(status.updatedReplicas, 2);
    assert.deepEqual(list(status.conditions).map((condition) => at(condition, 'type')), ['Available', 'Progressing']);
  });

  it('selects objects with label selectors in kubectl get -l', async () => {
    const configMaps = ['front', 'back', 'none']
      .map((tier) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${tier}\n  namespace: shop\n${tier === 'none' ? '' : `  labels: {tier: ${tier}, team: shop}\n`}data: {a: "1"}\n`)
      .join('');
    assert.equal((await t.kubectl(['apply', '-f', t.writeFile('labelled.yaml', configMaps)])).code, 0);
    const names = async (selector: string): Promise<string[]> => {
      const result = await t.kubectl(['get', 'configmaps', '-n', 'shop', '-l', selector, '-o', 'name']);
      assert.equal(result.code, 0, result.stderr);
      return result.stdout.split('\n').filter((line) => line !== '').sort();
    };
    assert.deepEqual(await names('tier=front'), ['configmap/cm-front']);
    assert.deepEqual(await names('tier==back'), ['configmap/cm-back']);
    assert.deepEqual(await names('tier in (front,back)'), ['configmap/cm-back', 'configmap/cm-front']);
    assert.deepEqual(await names('tier notin (front),team'), ['configmap/cm-back']);
    assert.deepEqual(await names('tier!=front,!team'), ['configmap/cm-none', 'configmap/kube-root-ca.crt']);
  });

  it('kubectl diff --server-side exits 0 while live matches and 1 with the change after a live edit', async () => {
    const same = await t.kubectl(['diff', '--server-side', '-f', shopFile]);
    assert.equal(same.code, 0, `no diff expected, got: ${same.stdout}${same.stderr}`);
    t.sandbox.store.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 5 } }, 'drift-maker');
    const changed = await t.kubectl(['diff', '--server-side', '--force-conflicts', '-f', shopFile]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^-\s+replicas: 5$/m);
    assert.match(changed.stdout, /^\+\s+replicas: 2$/m);
  });

  it('refuses a conflicting server-side apply with 409 naming the other manager, and applies with --force-conflicts', async () => {
    const refused = await t.kubectl(['apply', '--server-side', '-f', shopFile]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /conflict with "drift-maker"/);
    assert.match(refused.stderr, /\.spec\.replicas/);
    const forced = await t.kubectl(['apply', '--server-side', '--force-conflicts', '-f', shopFile]);
    assert.equal(forced.code, 0, forced.stderr);
    const deployment = json((await t.kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json', '--show-managed-fields'])).stdout);
    assert.equal(at(deployment, 'spec', 'replicas'), 2);
    const drift = list(at(deployment, 'metadata', 'managedFields')).map(record).find((entry) => entry.manager === 'drift-maker');
    assert.equal(drift, undefined, 'the forced apply took the only field drift-maker owned');
  });

  it('client-side apply merges containers by name and keeps the last-applied annotation', async () => {
    const manifest = (image: string, withSidecar: boolean): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: csa, namespace: shop}
spec:
  selector: {matchLabels: {app: csa}}
  template:
    metadata: {labels: {app: csa}}
    spec:
      containers:
      - name: main
        image: ${image}
        env: [{name: MODE, value: prod}]
${withSidecar ? '      - name: helper\n        image: helper:1\n' : ''}`;
    const file = t.writeFile('csa.yaml', manifest('app:1', true));
    const created = await t.kubectl(['apply', '-f', file]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /deployment\.apps\/csa created/);
    // A live-only field the manifest never mentions: a strategic merge patch must keep it.
    t.sandbox.store.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'csa', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'main', workingDir: '/srv' }] } } } }, 'operator');

    t.writeFile('csa.yaml', manifest('app:2', false));
    const configured = await t.kubectl(['apply', '-f', file]);
    assert.equal(configured.code, 0, configured.stderr);
    assert.match(configured.stdout, /deployment\.apps\/csa configured/);
    const deployment = json((await t.kubectl(['get', 'deployment', 'csa', '-n', 'shop', '-o', 'json'])).stdout);
    const containers = list(at(deployment, 'spec', 'template', 'spec', 'containers')).map(record);
    assert.deepEqual(containers.map((container) => container.name), ['main'], 'the container dropped from the manifest is removed');
    assert.equal(containers[0].image, 'app:2');
    assert.equal(containers[0].workingDir, '/srv', 'fields set by others survive the strategic merge');
    assert.deepEqual(containers[0].env, [{ name: 'MODE', value: 'prod' }]);
    const lastApplied = JSON.parse(String(at(deployment, 'metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'))) as unknown;
    assert.equal(at(lastApplied, 'spec', 'template', 'spec', 'containers', 0, 'image'), 'app:2');
    assert.equal(at(deployment, 'metadata', 'generation'), 3);
  });

  it('stores nothing on server dry runs', async () => {
    // The workload controller may still be finishing the rollout the test before started (its
    // status writes move the resourceVersion): wait until the store is quiet, then count.
    for (let waited = 0, last = ''; waited < 10_000; waited += 300) {
      if (t.sandbox.store.resourceVersion === last) break;
      last = t.sandbox.store.resourceVersion;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const before = t.sandbox.store.resourceVersion;
    const file = t.writeFile('dry.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry, namespace: shop}\ndata: {a: "1"}\n');
    const ssa = await t.kubectl(['apply', '--server-side', '--dry-run=server', '-f', file]);
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.match(ssa.stdout, /configmap\/dry serverside-applied \(server dry run\)/);
    const csa = await t.kubectl(['apply', '--dry-run=server', '-f', file]);
    assert.equal(csa.code, 0, csa.stderr);
    const deleted = await t.kubectl(['delete', 'deployment', 'web', '-n', 'shop', '--dry-run=server']);
    assert.equal(deleted.code, 0, deleted.stderr);
    const scaled = await t.kubectl(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=9', '--dry-run=server']);
    assert.equal(scaled.code, 0, scaled.stderr);
    const missing = await t.kubectl(['get', 'configmap', 'dry', '-n', 'shop']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NotFound/);
    assert.equal(t.sandbox.store.resourceVersion, before, 'no write happened');
    assert.equal(t.sandbox.store.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' })?.spec !== undefined, true);
  });

  it('serves the kinds of a newly created CRD to kubectl, with defaults and strict field validation', async () => {
    const crd = t.writeFile(
      'crd.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wg]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, default: 3}
              color: {type: string}
`,
    );
    assert.equal((await t.kubectl(['apply', '-f', crd])).code, 0);
    const widget = t.writeFile('widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: blue, namespace: shop}\nspec: {color: blue}\n');
    const applied = await t.kubectl(['apply', '--server-side', '-f', widget]);
    assert.equal(applied.code, 0, applied.stderr);
    const read = json((await t.kubectl(['get', 'wg', 'blue', '-n', 'shop', '-o', 'json'])).stdout);
    assert.deepEqual(read.spec, { color: 'blue', size: 3 });
    const table = await t.kubectl(['get', 'widgets', '-n', 'shop']);
    assert.match(table.stdout, /^NAME\s+SIZE$/m);
    assert.match(table.stdout, /^blue\s+3$/m);
    const unknownField = t.writeFile('bad-widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad, namespace: shop}\nspec: {colour: red}\n');
    const rejected = await t.kubectl(['apply', '-f', unknownField]);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /unknown field "spec\.colour"/);
  });

  it('applies Argo CD and Flux resources without installing anything', async () => {
    const file = t.writeFile(
      'gitops.yaml',
      `apiVersion: v1
kind: Namespace
metadata: {name: argocd}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-prod, namespace: argocd}
spec:
  project: default
  source: {repoURL: 'https://git.example.com/shop.git', path: envs/prod, targetRevision: main}
  destination: {server: 'https://kubernetes.default.svc', namespace: shop}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: shop, namespace: argocd}
spec: {interval: 5m, path: ./envs/prod, prune: true, sourceRef: {kind: GitRepository, name: shop}}
`,
    );
    const applied = await t.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /application\.argoproj\.io\/shop-prod serverside-applied/);
    assert.match(applied.stdout, /kustomization\.kustomize\.toolkit\.fluxcd\.io\/shop serverside-applied/);
    const apps = await t.kubectl(['get', 'applications', '-n', 'argocd', '-o', 'name']);
    assert.equal(apps.stdout.trim(), 'application.argoproj.io/shop-prod');
  });

  it('decodes the protobuf bodies of kubectl create namespace, configmap, secret and serviceaccount', async () => {
    assert.equal((await t.kubectl(['create', 'namespace', 'made'])).code, 0);
    const configMap = await t.kubectl(['create', 'configmap', 'settings', '-n', 'made', '--from-literal=mode=fast', '--from-literal=size=2']);
    assert.equal(configMap.code, 0, configMap.stderr);
    const secret = await t.kubectl(['create', 'secret', 'generic', 'token', '-n', 'made', '--from-literal=value=hunter2']);
    assert.equal(secret.code, 0, secret.stderr);
    assert.equal((await t.kubectl(['create', 'serviceaccount', 'robot', '-n', 'made'])).code, 0);
    assert.deepEqual(t.sandbox.store.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'made' })?.data, { mode: 'fast', size: '2' });
    const stored = t.sandbox.store.get({ apiVersion: 'v1', kind: 'Secret', name: 'token', namespace: 'made' });
    assert.deepEqual({ type: stored?.type, data: stored?.data }, { type: 'Opaque', data: { value: Buffer.from('hunter2').toString('base64') } });
    assert.ok(t.sandbox.store.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'robot', namespace: 'made' }));
    assert.equal(at(t.sandbox.store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'made' }), 'status', 'phase'), 'Active');
    const unsupported = await t.kubectl(['create', 'deployment', 'typed', '-n', 'made', '--image=app:1']);
    assert.equal(unsupported.code, 1);
    assert.match(unsupported.stderr, /cannot decode apps\/v1 Deployment from protobuf/);
  });

  it('streams changes to kubectl get --watch', async () => {
    const child = spawn('kubectl', ['--kubeconfig', t.sandbox.kubeconfigPath, '--cache-dir', join(t.dir, 'kube-cache'), 'get', 'configmaps', '-n', 'shop', '--watch', '-o', 'name'], {
      env: kubectlEnv(join(t.dir, 'home')),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 10_000;
      while (!output.includes('configmap/cm-front') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: 'shop' }, data: { a: '1' } });
      while (!output.includes('configmap/watched') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(output, /configmap\/watched/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('deletes with kubectl delete, namespaces with everything in them', async () => {
    const deleted = await t.kubectl(['delete', 'deployment', 'web', '-n', 'shop']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /deployment\.apps "web" deleted/);
    const gone = await t.kubectl(['get', 'deployment', 'web', '-n', 'shop']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /deployments\.apps "web" not found/);
    const namespace = await t.kubectl(['delete', 'namespace', 'shop']);
    assert.equal(namespace.code, 0, namespace.stderr);
    assert.equal(t.sandbox.store.list('v1', 'ConfigMap', { namespace: 'shop' }).length, 0);
    const protectedNamespace = await t.kubectl(['delete', 'namespace', 'default']);
    assert.equal(protectedNamespace.code, 1);
    assert.match(protectedNamespace.stderr, /forbidden/);
  });
});
