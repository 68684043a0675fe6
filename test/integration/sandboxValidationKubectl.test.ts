// The sandbox refuses what a 1.32 API server refuses, refereed by the real kubectl: each rule has
// an accepted manifest and a refused one, and kubectl must print the real server's wording
// (taken from Kubernetes' validation sources: apimachinery's field errors, pkg/apis/*/validation).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

interface DeploymentOptions {
  name?: string;
  replicas?: string;
  selector?: string;
  labels?: string;
  container?: string;
  extraContainer?: string;
  podExtra?: string;
}

function deployment(options: DeploymentOptions = {}): string {
  const name = options.name ?? 'web';
  const labels = options.labels ?? '{app: web}';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: checks
spec:
  replicas: ${options.replicas ?? '2'}
  selector:
    matchLabels: ${options.selector ?? '{app: web}'}
  template:
    metadata:
      labels: ${labels}
    spec:${options.podExtra ?? ''}
      containers:
      - name: nginx
        image: nginx:1.27
${options.container ?? ''}${options.extraContainer ?? ''}`;
}

describe('sandbox validation refereed by kubectl', () => {
  let t: TestSandbox;
  let counter = 0;

  const apply = async (manifest: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> => {
    const file = t.writeFile(`m${counter++}.yaml`, manifest);
    return t.kubectl(['apply', '-f', file, ...extra]);
  };

  const refused = async (manifest: string, expected: string, extra: string[] = []): Promise<string> => {
    const result = await apply(manifest, extra);
    assert.notEqual(result.code, 0, `kubectl should have failed, printed: ${result.stdout}`);
    assert.ok(result.stderr.includes(expected), `kubectl printed:\n${result.stderr}\nexpected to contain:\n${expected}`);
    return result.stderr;
  };

  const accepted = async (manifest: string, extra: string[] = []): Promise<string> => {
    const result = await apply(manifest, extra);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout + result.stderr;
  };

  before(async () => {
    t = await startTestSandbox({ controllers: false });
    const result = await t.kubectl(['create', 'namespace', 'checks']);
    assert.equal(result.code, 0, result.stderr);
  });

  after(async () => {
    await t.close();
  });

  it('refuses a string where the schema says integer with the decoder\'s 400 message', async () => {
    await refused(
      deployment({ name: 'typed', replicas: '"two"' }),
      'Error from server (BadRequest): error when creating "',
    );
    await refused(deployment({ name: 'typed', replicas: '"two"' }), 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    await accepted(deployment({ name: 'typed', replicas: '3' }));
  });

  it('refuses an unsupported imagePullPolicy with the supported values', async () => {
    await refused(
      deployment({ name: 'pull', container: '        imagePullPolicy: Sometimes\n' }),
      'The Deployment "pull" is invalid: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    );
    await accepted(deployment({ name: 'pull', container: '        imagePullPolicy: IfNotPresent\n' }));
  });

  it('refuses an unknown field under strict field validation, warns under Warn and drops it under Ignore', async () => {
    const manifest = deployment({ name: 'unknown', container: '        portz:\n        - containerPort: 80\n' });
    await refused(manifest, 'strict decoding error: unknown field "spec.template.spec.containers[0].portz"');
    const warned = await accepted(manifest, ['--validate=warn']);
    assert.match(warned, /Warning: unknown field "spec\.template\.spec\.containers\[0\]\.portz"/);
    await accepted(manifest.replace('name: unknown', 'name: ignored'), ['--validate=false']);
    const stored = await t.kubectl(['get', 'deployment', 'ignored', '-n', 'checks', '-o', 'jsonpath={.spec.template.spec.containers[0]}']);
    assert.equal(stored.code, 0, stored.stderr);
    assert.match(stored.stdout, /"image":"nginx:1.27"/);
    assert.doesNotMatch(stored.stdout, /portz/);
  });

  it('refuses names that are not DNS-1123 subdomains and Service names that are not DNS-1035 labels', async () => {
    await refused(deployment({ name: 'Web_App' }), 'metadata.name: Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character');
    const service = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: checks}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n`;
    await refused(service('1web'), 'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character');
    await accepted(service('web-1'));
  });

  it('refuses invalid label keys and values, and selectors that do not match the template', async () => {
    await refused(deployment({ name: 'labels', labels: '{app: web, "bad key": x}' }), 'spec.template.metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters');
    await refused(deployment({ name: 'labels', labels: '{app: "web!"}', selector: '{app: "web!"}' }), 'Invalid value: "web!": a valid label must be an empty string or consist of alphanumeric characters');
    await refused(deployment({ name: 'labels', selector: '{app: other}' }), 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
    await accepted(deployment({ name: 'labels', labels: '{app: web, example.com/tier: front}' }));
  });

  it('refuses ports out of range and unknown protocols', async () => {
    await refused(deployment({ name: 'ports', container: '        ports:\n        - containerPort: 70000\n' }), 'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
    await refused(deployment({ name: 'ports', container: '        ports:\n        - containerPort: 80\n          protocol: HTTP\n' }), 'spec.template.spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"');
    await accepted(deployment({ name: 'ports', container: '        ports:\n        - containerPort: 8080\n          protocol: UDP\n' }));
  });

  it('refuses a restartPolicy a Deployment may not have', async () => {
    await refused(deployment({ name: 'restart', podExtra: '\n      restartPolicy: OnFailure' }), 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"');
    await accepted(deployment({ name: 'restart', podExtra: '\n      restartPolicy: Always' }));
  });

  it('requires container names and refuses duplicates', async () => {
    await refused(deployment({ name: 'names', extraContainer: '      - name: nginx\n        image: busybox\n' }), 'spec.template.spec.containers[1].name: Duplicate value: "nginx"');
    await refused(deployment({ name: 'names', extraContainer: '      - image: busybox\n' }), 'spec.template.spec.containers[1].name: Required value');
    await accepted(deployment({ name: 'names', extraContainer: '      - name: sidecar\n        image: busybox\n' }));
  });

  it('refuses a changed Deployment selector as immutable', async () => {
    await accepted(deployment({ name: 'immutable' }));
    await refused(
      deployment({ name: 'immutable', selector: '{app: web, tier: front}', labels: '{app: web, tier: front}' }),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    await accepted(deployment({ name: 'immutable', replicas: '5' }));
  });

  it('refuses a changed DaemonSet selector, a StatefulSet spec change outside the mutable fields, and a changed claim spec', async () => {
    const daemonSet = (labels: string): string => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: checks}\nspec:\n  selector:\n    matchLabels: ${labels}\n  template:\n    metadata:\n      labels: ${labels}\n    spec:\n      containers:\n      - name: agent\n        image: agent:1\n`;
    await accepted(daemonSet('{app: agent}'));
    await refused(daemonSet('{app: agent2}'), 'The DaemonSet "agent" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"agent2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
    const statefulSet = (serviceName: string, replicas: number): string => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: checks}\nspec:\n  serviceName: ${serviceName}\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n`;
    await accepted(statefulSet('db', 1));
    await accepted(statefulSet('db', 3));
    await refused(statefulSet('db-headless', 3), "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    const claim = (storageClass: string): string => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: checks}\nspec:\n  storageClassName: ${storageClass}\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n`;
    await accepted(claim('fast'));
    await refused(claim('slow'), 'The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation');
  });

  it('refuses a changed Job template and a changed Service clusterIP', async () => {
    const job = (image: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: once, namespace: checks}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: run\n        image: ${image}\n`;
    await accepted(job('busybox:1'));
    await refused(job('busybox:2'), 'spec.template: Invalid value:');
    await refused(job('busybox:2'), 'field is immutable');
    const service = (ip: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: fixed, namespace: checks}\nspec:\n  clusterIP: ${ip}\n  ports:\n  - port: 80\n`;
    await accepted(service('10.96.0.77'));
    await refused(service('10.96.0.78'), 'may not change once set');
  });

  it('refuses a quantity that does not parse', async () => {
    await refused(
      deployment({ name: 'sizes', container: '        resources:\n          limits: {cpu: lots}\n' }),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    await accepted(deployment({ name: 'sizes', container: '        resources:\n          limits: {cpu: 500m, memory: 1Gi}\n' }));
  });

  it('refuses on server dry-run too, and stores nothing', async () => {
    await refused(deployment({ name: 'dry', container: '        imagePullPolicy: Sometimes\n' }), 'Unsupported value: "Sometimes"', ['--dry-run=server']);
    await refused(deployment({ name: 'dry', container: '        imagePullPolicy: Sometimes\n' }), 'Unsupported value: "Sometimes"', ['--server-side']);
    const stored = await t.kubectl(['get', 'deployment', 'dry', '-n', 'checks']);
    assert.notEqual(stored.code, 0);
    assert.match(stored.stderr, /deployments\.apps "dry" not found/);
  });

  it('checks custom resources against their CRD schema and explains their fields', async () => {
    await accepted(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              color: {type: string, enum: [red, blue]}
`);
    const widget = (spec: string): string => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: checks}\nspec:\n${spec}`;
    await refused(widget('  size: big\n'), 'The Widget "w" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
    await refused(widget('  color: green\n'), 'spec.color: Unsupported value: "green": supported values: "red", "blue"');
    await refused(widget('  shape: round\n'), 'strict decoding error: unknown field "spec.shape"');
    await accepted(widget('  size: 3\n  color: blue\n'));
    const explained = await t.kubectl(['explain', 'widgets.spec.size']);
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /FIELD:\s+size <integer>/);
  });

  it('explains built-in fields from the served OpenAPI v3 schemas', async () => {
    const explained = await t.kubectl(['explain', 'deployment.spec.replicas']);
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /KIND:\s+Deployment/);
    assert.match(explained.stdout, /FIELD:\s+replicas <integer>/);
    const containers = await t.kubectl(['explain', 'deployment.spec.template.spec.containers']);
    assert.equal(containers.code, 0, containers.stderr);
    assert.match(containers.stdout, /imagePullPolicy\s+<string>/);
  });
});
