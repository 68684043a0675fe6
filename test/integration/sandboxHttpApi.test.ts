// The sandbox's HTTP API as a client library sees it: authentication, discovery and OpenAPI
// documents, Status errors, paging and selectors, the patch types, dry runs, optimistic
// concurrency, finalizers and server-side apply ownership.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, list, record, startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

const deployment = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'app:1' }, { name: 'side', image: 'side:1' }] } },
    ...extra,
  },
});

describe('sandbox cluster HTTP API', () => {
  let t: TestSandbox;

  before(async () => {
    t = await startTestSandbox({ controllers: false });
    for (const name of ['alpha', 'beta']) {
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  });

  after(async () => {
    await t.close();
  });

  it('rejects requests without the bearer token with a 401 Status', async () => {
    for (const token of [null, 'wrong']) {
      const response = await t.request('GET', '/api/v1/namespaces', { token });
      assert.equal(response.status, 401);
      assert.deepEqual({ kind: response.json().kind, reason: response.json().reason, code: response.json().code }, { kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });

  it('answers aggregated discovery requests with the plain documents kubectl falls back to', async () => {
    const aggregated = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const core = await t.request('GET', '/api', { accept: aggregated });
    assert.equal(core.headers['content-type'], 'application/json');
    assert.equal(core.json().kind, 'APIVersions');
    assert.deepEqual(core.json().versions, ['v1']);
    const groups = await t.request('GET', '/apis', { accept: aggregated });
    const names = list(groups.json().groups).map((group) => at(group, 'name'));
    for (const group of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'autoscaling', 'apiextensions.k8s.io', 'argoproj.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io']) {
      assert.ok(names.includes(group), `${group} is served`);
    }
    const apps = (await t.request('GET', '/apis/apps/v1')).json();
    assert.equal(apps.kind, 'APIResourceList');
    const resources = list(apps.resources).map(record);
    const deployments = resources.find((resource) => resource.name === 'deployments');
    assert.deepEqual(
      { namespaced: deployments?.namespaced, kind: deployments?.kind, singularName: deployments?.singularName, shortNames: deployments?.shortNames, categories: deployments?.categories },
      { namespaced: true, kind: 'Deployment', singularName: 'deployment', shortNames: ['deploy'], categories: ['all'] },
    );
    assert.deepEqual(deployments?.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.ok(resources.some((resource) => resource.name === 'deployments/status'));
    assert.ok(resources.some((resource) => resource.name === 'deployments/scale' && resource.kind === 'Scale'));
  });

  it('publishes OpenAPI v3 documents whose PATCH operations accept fieldValidation', async () => {
    const index = (await t.request('GET', '/openapi/v3')).json();
    const paths = record(index.paths);
    const url = String(at(paths, 'apis/apps/v1', 'serverRelativeURL'));
    assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    assert.ok(paths['api/v1'] && paths['apis/argoproj.io/v1alpha1']);
    const document = (await t.request('GET', url)).json();
    const patch = record(at(document, 'paths', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}', 'patch'));
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(list(patch.parameters).some((parameter) => at(parameter, 'name') === 'fieldValidation' && at(parameter, 'in') === 'query'));
    assert.equal((await t.request('GET', '/openapi/v2')).status, 404);
  });

  it('reports NotFound, AlreadyExists, Invalid and BadRequest as Kubernetes Status bodies', async () => {
    const missing = await t.request('GET', '/apis/apps/v1/namespaces/alpha/deployments/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    assert.equal((await t.request('POST', '/apis/apps/v1/namespaces/alpha/deployments', { body: deployment('dup') })).status, 201);
    const duplicate = await t.request('POST', '/apis/apps/v1/namespaces/alpha/deployments', { body: deployment('dup') });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.json().reason, 'AlreadyExists');
    const noSelector = deployment('bad');
    delete record(noSelector.spec).selector;
    const invalid = await t.request('POST', '/apis/apps/v1/namespaces/alpha/deployments', { body: noSelector });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json().reason, 'Invalid');
    assert.ok(list(at(invalid.json(), 'details', 'causes')).some((cause) => at(cause, 'field') === 'spec.selector'));
    const wrongName = await t.request('PUT', '/apis/apps/v1/namespaces/alpha/deployments/dup', { body: deployment('other') });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.json().reason, 'BadRequest');
    const noNamespace = await t.request('POST', '/api/v1/namespaces/ghost/configmaps', { body: { metadata: { name: 'x' } } });
    assert.equal(noNamespace.status, 404);
    assert.equal(noNamespace.json().message, 'namespaces "ghost" not found');
  });

  it('pages lists with limit and continue, and filters by field selector and across namespaces', async () => {
    for (let i = 0; i < 25; i++) {
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${String(i).padStart(2, '0')}`, namespace: 'alpha', labels: { paged: 'yes' } } });
    }
    t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'page-beta', namespace: 'beta', labels: { paged: 'yes' } } });
    const seen: string[] = [];
    let continueToken: string | undefined;
    let pages = 0;
    do {
      const query = `labelSelector=paged%3Dyes&limit=10${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`;
      const page = (await t.request('GET', `/api/v1/namespaces/alpha/configmaps?${query}`)).json();
      const items = list(page.items);
      seen.push(...items.map((item) => String(at(item, 'metadata', 'name'))));
      const next = at(page, 'metadata', 'continue');
      continueToken = typeof next === 'string' ? next : undefined;
      pages++;
      if (pages === 1) assert.equal(items.length, 10);
    } while (continueToken);
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, '0')}`));

    const unfiltered = (await t.request('GET', '/api/v1/namespaces/alpha/configmaps?limit=5')).json();
    assert.equal(at(unfiltered, 'metadata', 'remainingItemCount'), 20, '25 objects (controllers are off: no kube-root-ca.crt), minus the first 5');

    const everywhere = (await t.request('GET', '/api/v1/configmaps?labelSelector=paged')).json();
    assert.equal(everywhere.kind, 'ConfigMapList');
    assert.equal(list(everywhere.items).length, 26);
    const byName = (await t.request('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dpage-beta')).json();
    assert.deepEqual(list(byName.items).map((item) => at(item, 'metadata', 'namespace')), ['beta']);
    const notAlpha = (await t.request('GET', '/api/v1/configmaps?labelSelector=paged&fieldSelector=metadata.namespace!%3Dalpha')).json();
    assert.deepEqual(list(notAlpha.items).map((item) => at(item, 'metadata', 'name')), ['page-beta']);
  });

  it('applies merge, JSON and strategic merge patches; refuses strategic merge on custom resources', async () => {
    const path = '/apis/apps/v1/namespaces/alpha/deployments/patched';
    assert.equal((await t.request('POST', '/apis/apps/v1/namespaces/alpha/deployments', { body: deployment('patched') })).status, 201);
    const merged = await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { metadata: { labels: { extra: 'yes' } }, spec: { replicas: 3 } } });
    assert.equal(merged.status, 200, merged.text);
    assert.equal(at(merged.json(), 'spec', 'replicas'), 3);
    assert.deepEqual(at(merged.json(), 'metadata', 'labels'), { app: 'patched', extra: 'yes' });

    const strategic = await t.request('PATCH', path, {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'side', image: 'side:2' }] } } } },
    });
    assert.equal(strategic.status, 200, strategic.text);
    const containers = list(at(strategic.json(), 'spec', 'template', 'spec', 'containers')).map(record);
    assert.deepEqual(containers.map((container) => [container.name, container.image]), [['main', 'app:1'], ['side', 'side:2']]);

    const deleteDirective = await t.request('PATCH', path, {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } },
    });
    assert.deepEqual(list(at(deleteDirective.json(), 'spec', 'template', 'spec', 'containers')).map((container) => at(container, 'name')), ['main']);

    const jsonPatched = await t.request('PATCH', path, {
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/spec/replicas', value: 3 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/annotations', value: { note: 'x' } },
      ],
    });
    assert.equal(jsonPatched.status, 200, jsonPatched.text);
    assert.equal(at(jsonPatched.json(), 'spec', 'replicas'), 4);
    const failedTest = await t.request('PATCH', path, { contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] });
    assert.equal(failedTest.status, 422);

    t.sandbox.store.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'proj', namespace: 'alpha' }, spec: { description: 'x' } });
    const customStrategic = await t.request('PATCH', '/apis/argoproj.io/v1alpha1/namespaces/alpha/appprojects/proj', {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { description: 'y' } },
    });
    assert.equal(customStrategic.status, 415);
    assert.equal(customStrategic.json().reason, 'UnsupportedMediaType');
  });

  it('bumps generation on spec changes only, and refuses updates from a stale resourceVersion', async () => {
    const path = '/apis/apps/v1/namespaces/alpha/deployments/gen';
    const created = (await t.request('POST', '/apis/apps/v1/namespaces/alpha/deployments', { body: deployment('gen') })).json();
    assert.equal(at(created, 'metadata', 'generation'), 1);
    const labelled = (await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { metadata: { labels: { more: 'x' } } } })).json();
    assert.equal(at(labelled, 'metadata', 'generation'), 1);
    assert.ok(Number(at(labelled, 'metadata', 'resourceVersion')) > Number(at(created, 'metadata', 'resourceVersion')));
    const scaled = (await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 7 } } })).json();
    assert.equal(at(scaled, 'metadata', 'generation'), 2);
    const stale = { ...created, spec: { ...record(created.spec), replicas: 1 } };
    const conflict = await t.request('PUT', path, { body: stale });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json().reason, 'Conflict');
    assert.match(String(conflict.json().message), /the object has been modified/);
    const noOp = await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 7 } } });
    assert.equal(at(noOp.json(), 'metadata', 'resourceVersion'), at(scaled, 'metadata', 'resourceVersion'), 'a no-op write keeps the resourceVersion');
  });

  it('answers dryRun=All writes with the result but stores nothing', async () => {
    const before = t.sandbox.store.resourceVersion;
    const created = await t.request('POST', '/api/v1/namespaces/alpha/configmaps?dryRun=All', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost' }, data: { a: '1' } } });
    assert.equal(created.status, 201);
    assert.match(String(at(created.json(), 'metadata', 'uid')), /^[0-9a-f-]{36}$/);
    assert.equal((await t.request('GET', '/api/v1/namespaces/alpha/configmaps/ghost')).status, 404);
    const applied = await t.request('PATCH', '/apis/apps/v1/namespaces/alpha/deployments/gen?dryRun=All&fieldManager=dry&force=true', {
      contentType: 'application/apply-patch+yaml',
      body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gen}\nspec: {replicas: 12}\n',
    });
    assert.equal(applied.status, 200, applied.text);
    assert.equal(at(applied.json(), 'spec', 'replicas'), 12);
    const deleted = await t.request('DELETE', '/apis/apps/v1/namespaces/alpha/deployments/gen?dryRun=All');
    assert.equal(deleted.status, 200);
    const stored = (await t.request('GET', '/apis/apps/v1/namespaces/alpha/deployments/gen')).json();
    assert.equal(at(stored, 'spec', 'replicas'), 7);
    assert.equal(t.sandbox.store.resourceVersion, before);
  });

  it('keeps an object with finalizers until the last finalizer is removed', async () => {
    const path = '/api/v1/namespaces/alpha/configmaps/held';
    await t.request('POST', '/api/v1/namespaces/alpha/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    const deleting = await t.request('DELETE', path);
    assert.equal(deleting.status, 202);
    assert.match(String(at(deleting.json(), 'metadata', 'deletionTimestamp')), /Z$/);
    assert.equal((await t.request('GET', path)).status, 200);
    const released = await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    assert.equal(released.status, 200);
    assert.equal((await t.request('GET', path)).status, 404);
  });

  it('tracks field ownership in server-side apply: required manager, removal of dropped fields, shared fields kept', async () => {
    const path = '/api/v1/namespaces/alpha/configmaps/owned';
    const apply = (manager: string, body: string, force = false): Promise<{ status: number; json(): Record<string, unknown> }> =>
      t.request('PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, { contentType: 'application/apply-patch+yaml', body });
    const noManager = await t.request('PATCH', path, { contentType: 'application/apply-patch+yaml', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\n' });
    assert.equal(noManager.status, 400);
    assert.match(String(noManager.json().message), /fieldManager: Required value/);

    assert.equal((await apply('first', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, labels: {a: "1", b: "1"}}\ndata: {x: "1", y: "1"}\n')).status, 201);
    assert.equal((await apply('second', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {y: "1"}\n')).status, 200);
    const conflict = await apply('second', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {x: "2", y: "1"}\n');
    assert.equal(conflict.status, 409);
    assert.deepEqual(at(conflict.json(), 'details', 'causes'), [{ reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.x' }]);

    const shrunk = (await apply('first', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, labels: {a: "1"}}\n')).json();
    assert.deepEqual(at(shrunk, 'metadata', 'labels'), { a: '1' }, 'a label first stopped applying is removed');
    assert.deepEqual(shrunk.data, { y: '1' }, 'x is gone, y stays because "second" still applies it');
    const managers = list(at(shrunk, 'metadata', 'managedFields')).map((entry) => [at(entry, 'manager'), at(entry, 'operation'), at(entry, 'fieldsV1')]);
    assert.deepEqual(managers, [
      ['first', 'Apply', { 'f:metadata': { 'f:labels': { 'f:a': {} } } }],
      ['second', 'Apply', { 'f:data': { 'f:y': {} } }],
    ]);
    const withManagedFields = await t.request('PATCH', `${path}?fieldManager=x`, {
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', managedFields: [] } }),
    });
    assert.equal(withManagedFields.status, 400);
  });

  it('deletes collections by label selector, and patches through the direct store API as an Update', async () => {
    for (const name of ['sweep-1', 'sweep-2', 'keep']) {
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'beta', labels: { sweep: name === 'keep' ? 'no' : 'yes' } } });
    }
    const swept = await t.request('DELETE', '/api/v1/namespaces/beta/configmaps?labelSelector=sweep%3Dyes');
    assert.equal(swept.status, 200);
    assert.deepEqual(list(swept.json().items).map((item) => at(item, 'metadata', 'name')), ['sweep-1', 'sweep-2']);
    assert.deepEqual(t.sandbox.store.list('v1', 'ConfigMap', { namespace: 'beta', labelSelector: 'sweep' }).map((item) => item.metadata.name), ['keep']);

    const patched = t.sandbox.store.patch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'keep', namespace: 'beta' }, { data: { drift: 'yes' } }, 'hand-edit');
    assert.deepEqual(patched.data, { drift: 'yes' });
    const entry = (patched.metadata.managedFields ?? []).find((managed) => managed.manager === 'hand-edit');
    assert.deepEqual({ operation: entry?.operation, fields: entry?.fieldsV1 }, { operation: 'Update', fields: { 'f:data': { '.': {}, 'f:drift': {} } } });
  });

  it('serves Table rows for kubectl-style Accept headers', async () => {
    const table = (await t.request('GET', '/apis/apps/v1/namespaces/alpha/deployments', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' })).json();
    assert.equal(table.kind, 'Table');
    assert.deepEqual(list(table.columnDefinitions).slice(0, 5).map((column) => at(column, 'name')), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    const names = list(table.rows).map((row) => at(row, 'cells', 0));
    assert.ok(names.includes('gen') && names.includes('patched'));
    assert.equal(at(table.rows, 0, 'object', 'kind'), 'PartialObjectMetadata');
  });

  it('serves the scale subresource', async () => {
    const path = '/apis/apps/v1/namespaces/alpha/deployments/gen/scale';
    const scale = (await t.request('GET', path)).json();
    assert.deepEqual({ kind: scale.kind, apiVersion: scale.apiVersion, spec: scale.spec }, { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 7 } });
    assert.equal(at(scale, 'status', 'selector'), 'app=gen');
    const patched = await t.request('PATCH', path, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 2 } } });
    assert.equal(at(patched.json(), 'spec', 'replicas'), 2);
    assert.equal(t.sandbox.store.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gen', namespace: 'alpha' })?.spec !== undefined, true);
    assert.equal(at(t.sandbox.store.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gen', namespace: 'alpha' }), 'spec', 'replicas'), 2);
  });
});
