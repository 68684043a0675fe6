// Which live objects belong to the environment's Argo CD Application, read from the tracking
// annotation `argocd.argoproj.io/tracking-id: <instance>:<group>/<kind>:<namespace>/<name>`.
// Argo CD's instance is the Application's name, or `<app-namespace>_<app-name>` ("apps in any
// namespace"), split back at the first `_`. An application whose name merely ends like ours
// (`old-shop-prod` vs `shop-prod`) is someone else's, and its objects are never our Extra ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareEnvironment, trackedBy } from '../../src/core/drift/compare';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { fuzzRuns } from '../support/fuzzSettings';

function withTrackingId(id: unknown): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', annotations: { 'argocd.argoproj.io/tracking-id': id } } };
}

const idOf = (instance: string): string => `${instance}:/ConfigMap:shop/settings`;

describe('trackedBy: the tracking id names the application exactly', () => {
  it('matches the application by name, and in Argo CD\'s <app-namespace>_<app-name> form', () => {
    assert.equal(trackedBy(withTrackingId(idOf('shop-prod')), 'shop-prod'), true);
    assert.equal(trackedBy(withTrackingId(idOf('team-a_shop-prod')), 'shop-prod'), true);
    assert.equal(trackedBy(withTrackingId('shop-prod:apps/Deployment:shop/web'), 'shop-prod'), true);
  });

  it('an application whose name only ends with ours is another one: old-shop-prod is not shop-prod', () => {
    assert.equal(trackedBy(withTrackingId(idOf('old-shop-prod')), 'shop-prod'), false);
    assert.equal(trackedBy(withTrackingId(idOf('oldshop-prod')), 'shop-prod'), false);
    // In another Argo CD namespace too: the instance splits at the first `_`, its name is old-shop-prod.
    assert.equal(trackedBy(withTrackingId(idOf('team-a_old-shop-prod')), 'shop-prod'), false);
  });

  it('names that start like ours, or differ, are other applications', () => {
    for (const instance of ['shop-prod-2', 'shop-prod_x', 'shop-staging', 'shop', 'prod', 'team-a_shop', 'team-a_shop-prod-2', '']) {
      assert.equal(trackedBy(withTrackingId(idOf(instance)), 'shop-prod'), false, instance);
    }
  });

  it('a namespace part must be there and be one name: `_shop-prod` and `a_b_shop-prod` are not shop-prod', () => {
    assert.equal(trackedBy(withTrackingId(idOf('_shop-prod')), 'shop-prod'), false);
    // Argo CD reads namespace `a`, application `b_shop-prod`.
    assert.equal(trackedBy(withTrackingId(idOf('a_b_shop-prod')), 'shop-prod'), false);
  });

  it('a malformed or absent annotation tracks nothing', () => {
    // Without the `:<group>/<kind>:…` part it is not a tracking id at all, even if it spells the name.
    assert.equal(trackedBy(withTrackingId('shop-prod'), 'shop-prod'), false);
    assert.equal(trackedBy(withTrackingId('shop-prodx'), 'shop-prod'), false);
    for (const value of [undefined, null, 42, { app: 'shop-prod' }, ['shop-prod:/ConfigMap:shop/settings']]) {
      assert.equal(trackedBy(withTrackingId(value), 'shop-prod'), false, JSON.stringify(value));
    }
    assert.equal(trackedBy({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }, 'shop-prod'), false);
    assert.equal(trackedBy({ apiVersion: 'v1', kind: 'ConfigMap' }, 'shop-prod'), false);
  });

  // Kubernetes names: DNS labels for namespaces, DNS subdomains for Applications; neither holds `_`.
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/);
  const appName = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/);

  it('for any names: the application, plain or namespaced, is tracked; any other prefix or suffix of it is not (property)', () => {
    fc.assert(
      fc.property(appName, label, label, (app, namespace, extra) => {
        assert.equal(trackedBy(withTrackingId(idOf(app)), app), true);
        assert.equal(trackedBy(withTrackingId(idOf(`${namespace}_${app}`)), app), true);
        // A longer name that ends with ours (`<extra>-<app>`, `<extra><app>`), plain or namespaced.
        for (const other of [`${extra}-${app}`, `${extra}${app}`]) {
          assert.equal(trackedBy(withTrackingId(idOf(other)), app), false, other);
          assert.equal(trackedBy(withTrackingId(idOf(`${namespace}_${other}`)), app), false, `${namespace}_${other}`);
        }
        // A longer name that starts with ours.
        assert.equal(trackedBy(withTrackingId(idOf(`${app}-${extra}`)), app), false);
      }),
      fuzzRuns(500, 20_261_207),
    );
  });
});

describe('Extra objects of the environment, by tracking id', () => {
  it('a live object of `old-shop-prod` is not an Extra object of `shop-prod`; one of `shop-prod` left behind is', () => {
    const live = (name: string, instance: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'shop', annotations: { 'argocd.argoproj.io/tracking-id': `${instance}:/ConfigMap:shop/${name}` } },
    });
    const result = compareEnvironment([], [live('ours-left-behind', 'shop-prod'), live('retired-app', 'old-shop-prod'), live('namespaced-retired', 'argocd_old-shop-prod'), live('namespaced-ours', 'argocd_shop-prod')], {
      extraTrackingApp: 'shop-prod',
    });
    assert.deepEqual(
      result.resources.filter((r) => r.status === 'Extra').map((r) => r.id.name).sort(),
      ['namespaced-ours', 'ours-left-behind'],
    );
  });
});
