// Conformance with Argo CD: every fixture of gitops-engine's health tests (with the status Argo's own
// test asserts, `none` where it asserts no health) must get the same answer from assessHealth.
// The fixtures are read in place from the shared folder, never copied into the project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { assessHealth } from '../../src/core/health/assessHealth';
import { requirePresent } from '../support/requirePresent';

const fixtures = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'argo-health');
const expectedFile = join(fixtures, 'EXPECTED.tsv');

function expectations(): Array<{ file: string; expected: string }> {
  return readFileSync(expectedFile, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file, expected] = line.split('\t');
      return { file, expected: expected.trim() };
    });
}

/**
 * Argo reads these with sigs.k8s.io/yaml, which lets a later duplicate key win (statefulset-ondelete
 * declares spec.updateStrategy twice); the project's manifest parser rejects duplicates, so the
 * fixtures are read here the way Argo reads them.
 */
function readObject(file: string): Record<string, unknown> {
  const docs = parseAllDocuments(readFileSync(join(fixtures, file), 'utf8'), { uniqueKeys: false });
  assert.ok(Array.isArray(docs) && docs.length === 1, `${file}: expected one YAML document`);
  const [doc] = docs;
  assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
  const value: unknown = doc.toJS();
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${file}: not an object`);
  return value as Record<string, unknown>;
}

test('assessHealth agrees with Argo CD on every argo-health fixture', (t) => {
  if (!requirePresent(t, 'Argo CD health fixtures (../shared/fixtures/argo-health)', expectedFile)) return;
  const rows = expectations();
  assert.ok(rows.length >= 40, `only ${rows.length} rows in EXPECTED.tsv`);
  const mismatches: string[] = [];
  for (const { file, expected } of rows) {
    const result = assessHealth(readObject(file));
    const actual = result === null ? 'none' : result.status;
    if (actual !== expected) mismatches.push(`${file}: expected ${expected}, got ${actual}${result?.message ? ` (${result.message})` : ''}`);
  }
  assert.deepEqual(mismatches, [], `${mismatches.length}/${rows.length} fixtures disagree`);
});

test('fixture messages carry the details Argo reports', (t) => {
  if (!requirePresent(t, 'Argo CD health fixtures (../shared/fixtures/argo-health)', expectedFile)) return;
  assert.deepEqual(assessHealth(readObject('deployment-suspended.yaml')), { status: 'Suspended', message: 'Deployment is paused' });
  assert.deepEqual(assessHealth(readObject('pod-deletion.yaml')), { status: 'Progressing', message: 'Pending deletion' });
  assert.equal(assessHealth(readObject('hpa-v1-progressing-with-no-annotations.yaml'))?.message, 'Waiting to Autoscale');
  assert.match(assessHealth(readObject('deployment-degraded.yaml'))?.message ?? '', /exceeded its progress deadline/);
});
