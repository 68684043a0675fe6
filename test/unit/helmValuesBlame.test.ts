// Helm values blame: a field whose template line reads one value is blamed on the last values
// file that sets it (the environment's before the chart's); a line reading several values blames
// the part that matches, not exactly; an ambiguous key or a value that does not read as the
// rendered one gets no blame (the template's kind line stays the answer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAcceptLive } from '../../src/core/acceptLive';
import { helmValuesBlame } from '../../src/core/blame/helmValuesBlame';

const template = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: MODE
              value: {{ .Values.mode | quote }}
            - name: LEVEL
              value: {{ .Values.level | quote }}
`;

const values = [
  { file: 'chart/values.yaml', text: 'replicaCount: 1\nimage:\n  repository: ghcr.io/shop/web\n  tag: "1.0"\nmode: fast\n' },
  { file: 'envs/values-prod.yaml', text: '# prod\nreplicaCount: 6\nimage:\n  tag: "2.3"\n' },
];

const rendered = {
  spec: { replicas: 6, template: { spec: { containers: [{ name: 'web', image: 'ghcr.io/shop/web:2.3', env: [{ name: 'MODE', value: 'fast' }, { name: 'LEVEL', value: 'x' }] }] } } },
};

test('replicas come from the environment values file, at its line; the chart default is overridden', () => {
  const blame = helmValuesBlame(template, 7, values, rendered);
  const replicas = blame.blame('/spec/replicas');
  assert.deepEqual([replicas?.location.file, replicas?.location.range?.start.line, replicas?.via, replicas?.exact], ['envs/values-prod.yaml', 2, 'values', true]);
  // The image line reads two values: the tag set for prod is blamed, as part of the field.
  const image = blame.blame('/spec/template/spec/containers/0/image');
  assert.deepEqual([image?.location.file, image?.location.range?.start.line, image?.exact], ['envs/values-prod.yaml', 4, false]);
});

test('an ambiguous key or a value that does not read as rendered gets no blame', () => {
  const blame = helmValuesBlame(template, 7, values, rendered);
  // `value:` appears twice in the document: which line set it cannot be told from the text.
  assert.equal(blame.blame('/spec/template/spec/containers/0/env/0/value'), undefined);
  assert.equal(helmValuesBlame(template, 7, values, { spec: { replicas: 9 } }).blame('/spec/replicas'), undefined);
  // The Service document (before the ---) has no replicas line.
  assert.equal(helmValuesBlame(template, 2, values, rendered).blame('/spec/replicas'), undefined);
});

test('Accept Live writes the live replicas into the environment values file that sets them', () => {
  const source = helmValuesBlame(template, 7, values, rendered).blame('/spec/replicas');
  assert.ok(source);
  const plan = planAcceptLive({
    field: { pointer: '/spec/replicas', path: 'spec.replicas', change: 'changed', live: 3, source },
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    environment: 'prod',
    files: new Map(values.map((v) => [v.file, v.text])),
    otherUsers: () => [],
  });
  assert.equal(plan.kind, 'edit');
  if (plan.kind !== 'edit') return;
  assert.equal(plan.file, 'envs/values-prod.yaml');
  assert.deepEqual([plan.edit.range.start.line, plan.edit.newText], [2, '3']);
  // The image line reads two values: its tag alone cannot take the live image.
  const image = helmValuesBlame(template, 7, values, rendered).blame('/spec/template/spec/containers/0/image');
  assert.ok(image);
  const refusedPlan = planAcceptLive({
    field: { pointer: '/spec/template/spec/containers/0/image', path: 'spec.template.spec.containers[name=web].image', change: 'changed', live: 'ghcr.io/shop/web:2.4', source: image },
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    environment: 'prod',
    files: new Map(values.map((v) => [v.file, v.text])),
    otherUsers: () => [],
  });
  assert.equal(refusedPlan.kind, 'refused');
  assert.match(refusedPlan.kind === 'refused' ? refusedPlan.reason : '', /part of a larger value at envs\/values-prod\.yaml:4/);
});
