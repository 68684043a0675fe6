// The promotion preview, value by value: the view model lists each value with its class and the
// plan's warnings and passes the protocol validator; ticking a value recomputes the plan; ticking
// an identity value blocks running until "Allow identity change" is ticked; the message policy
// refuses values the preview does not list and an allow tick when there is no identity change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan } from '../../src/core/promotion/buildPlan';
import type { PlanSide, PromotionPlan } from '../../src/core/promotion/promotionTypes';
import { previewRefusal } from '../../src/ui/promotion/previewPolicy';
import { PreviewSession } from '../../src/ui/promotion/previewSession';
import { isPreviewViewModel, isWebviewMessage, type PreviewTarget } from '../../webview-ui/promotion/protocol';

const TARGET: PreviewTarget = { kind: 'promotion', folder: 'file:///work/repo', from: 'staging', to: 'prod' };
const OPTIONS = { hostName: 'GitHub', renderOffReason: null, readOnlyReason: null };

function side(environment: string): PlanSide {
  return { environment, ref: 'origin/main', commit: environment === 'staging' ? '1'.repeat(40) : '2'.repeat(40), shortCommit: '1111111', branch: 'main', folder: `envs/${environment}`, tree: `tree-${environment}`, remote: 'origin' };
}

/** staging → prod: the kustomization differs in namespace (identity) and image tag (flows, but older: a downgrade). */
function plan(): PromotionPlan {
  return buildPromotionPlan({
    kind: 'promotion',
    layout: 'folder',
    source: side('staging'),
    target: side('prod'),
    commits: [],
    commitTotal: 0,
    files: [{ path: 'envs/prod/kustomization.yaml', sourcePath: 'envs/staging/kustomization.yaml', action: 'modify', excluded: false, excludedBy: null, selected: true, beforeBlob: 't', afterBlob: 's', mode: '100644' }],
    blobs: new Map([
      ['s', 'namespace: shop-staging\nimages:\n  - name: shop\n    newTag: 2.0.0\n'],
      ['t', 'namespace: shop-prod\nimages:\n  - name: shop\n    newTag: 3.0.0\n'],
    ]),
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
  });
}

describe('preview of values', () => {
  it('lists each value with its class, the warnings on top, and passes the validator', () => {
    const model = new PreviewSession(TARGET, plan(), OPTIONS).viewModel();
    assert.ok(isPreviewViewModel(model));
    assert.deepEqual(
      model.values.map((v) => [v.path, v.class, v.selected, v.from, v.to]),
      [
        ['namespace', 'identity', false, 'shop-prod', 'shop-staging'],
        ['images[name=shop].newTag', 'flows', true, '3.0.0', '2.0.0'],
      ],
    );
    assert.deepEqual(model.warnings.map((w) => w.code), ['image-downgrade']);
    assert.equal(model.identityChange, null);
    assert.deepEqual([model.summary.valuesSelected, model.summary.valuesTotal], [1, 2]);
    assert.equal(model.executeBlocked, null);
  });

  it('ticking an identity value blocks running until the identity change is allowed; unticking it lifts the block', () => {
    const session = new PreviewSession(TARGET, plan(), OPTIONS);
    const namespace = session.viewModel().values.find((v) => v.path === 'namespace');
    assert.ok(namespace);
    assert.equal(session.select('value', [namespace.id], true), true);
    let model = session.viewModel();
    assert.ok(isPreviewViewModel(model));
    assert.deepEqual(model.identityChange, { allowed: false });
    assert.match(model.executeBlocked ?? '', /change prod's identity/);
    assert.equal(previewRefusal({ type: 'execute', title: 't', body: 'b' }, model, false), `execute: ${model.executeBlocked}`);
    assert.equal(session.allowIdentityChange(true), true);
    model = session.viewModel();
    assert.deepEqual(model.identityChange, { allowed: true });
    assert.equal(model.executeBlocked, null);
    assert.match(session.plan.body, /identity change was explicitly allowed/);
    session.select('value', [namespace.id], false);
    assert.equal(session.viewModel().identityChange, null);
  });

  it('the policy refuses values the preview does not list and an allow tick without an identity change', () => {
    const model = new PreviewSession(TARGET, plan(), OPTIONS).viewModel();
    const known = model.values[0].id;
    assert.equal(previewRefusal({ type: 'select', what: 'value', keys: [known], selected: true }, model, false), undefined);
    assert.match(previewRefusal({ type: 'select', what: 'value', keys: ['envs/prod/kustomization.yaml#x nope'], selected: true }, model, false) ?? '', /does not list/);
    assert.match(previewRefusal({ type: 'allowIdentityChange', allowed: true }, model, false) ?? '', /no identity change/);
  });

  it('the protocol accepts the new messages only in their exact shape', () => {
    assert.ok(isWebviewMessage({ type: 'allowIdentityChange', allowed: true }));
    assert.ok(isWebviewMessage({ type: 'select', what: 'value', keys: ['a#b'], selected: false }));
    assert.ok(!isWebviewMessage({ type: 'allowIdentityChange', allowed: 'yes' }));
    assert.ok(!isWebviewMessage({ type: 'allowIdentityChange', allowed: true, extra: 1 }));
    assert.ok(!isWebviewMessage({ type: 'select', what: 'values', keys: ['a'], selected: true }));
  });

  it('the validator refuses a value row with an unknown class or warning code', () => {
    const model = new PreviewSession(TARGET, plan(), OPTIONS).viewModel();
    assert.ok(!isPreviewViewModel({ ...model, values: [{ ...model.values[0], class: 'secret' }] }));
    assert.ok(!isPreviewViewModel({ ...model, warnings: [{ code: 'meh', message: 'x' }] }));
    assert.ok(!isPreviewViewModel({ ...model, identityChange: { allowed: 'no' } }));
  });
});
