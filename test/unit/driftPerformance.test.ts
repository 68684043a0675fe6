// The drift hot path on realistic Deployment pairs (defaults, status, managedFields, last-applied
// annotation on the live side). The time claim — 2,000 pairs within 200 ms — is a row of the bench
// (bench/comparePairsBench.ts, `npm run bench`), measured on a quiet machine against its target.
// Here: the verdicts, and a complexity guard that holds on a loaded CI box too: the comparison
// grows linearly with the number of pairs, so 10× the pairs cannot cost 30× the time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeploymentPairs, compareDeploymentPairs } from '../support/deploymentPairs';
import { describeScaling, measureScaling } from '../support/scaling';

test('2,000 Deployment pairs get the expected verdicts: 1,800 in sync, 200 drifted on replicas and image', () => {
  const result = compareDeploymentPairs(buildDeploymentPairs(2000));
  assert.deepEqual(result.counts, { InSync: 1800, Drifted: 200, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 });
  assert.deepEqual(result.resources[0].fields.map((f) => f.pointer), ['/spec/replicas', '/spec/template/spec/containers/0/image']);
});

test('comparing Deployment pairs stays linear: 10× the pairs (400 → 4,000) takes < 30× the time', (t) => {
  const scaling = measureScaling(buildDeploymentPairs, compareDeploymentPairs, 400, 4000);
  t.diagnostic(describeScaling(scaling, 400, 4000));
  assert.ok(scaling.ratio < 30, describeScaling(scaling, 400, 4000));
});
