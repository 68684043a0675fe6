// Realistic Deployment pairs (Git's object, and the live one with server defaults, status,
// managedFields and kubectl's last-applied annotation) for the drift benchmark and its test.
// Every tenth pair has a changed replica count and image, so the hot path includes drift.
// Bench and test support, not product code (it lived in src/core/drift until 2026-12-07).
import { compareEnvironment } from '../../src/core/drift/compare';
import type { DesiredResource, EnvironmentCompareOptions, EnvironmentDrift, KubeObject } from '../../src/core/drift/driftTypes';

function desiredDeployment(i: number): KubeObject {
  const name = `app-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app: name, 'app.kubernetes.io/instance': 'shop' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image: `registry.example.com/${name}:1.4.${i % 7}`,
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '0.5Gi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5 },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
        },
      },
    },
  };
}

function liveDeployment(i: number, desired: KubeObject): KubeObject {
  const name = `app-${i}`;
  const drifted = i % 10 === 0;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'shop',
      uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(100000 + i),
      generation: 3,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: name, 'app.kubernetes.io/instance': 'shop' },
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(desired)}\n`,
      },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2025-01-01T00:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2025-01-02T00:00:00Z',
          subresource: 'status',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:replicas': {}, 'f:readyReplicas': {} } },
        },
      ],
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: drifted ? 5 : 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image: `registry.example.com/${name}:1.4.${drifted ? 99 : i % 7}`,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              readinessProbe: {
                httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
                initialDelaySeconds: 5,
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${name}-config`, defaultMode: 420 } }],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: '2025-01-02T00:00:00Z', lastTransitionTime: '2025-01-02T00:00:00Z' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: '2025-01-02T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' },
      ],
    },
  };
}

export interface BenchmarkPairs {
  desired: DesiredResource[];
  live: KubeObject[];
}

/** `count` Deployment pairs; one in ten drifted (replicas and image). */
export function buildDeploymentPairs(count: number): BenchmarkPairs {
  const desired: DesiredResource[] = [];
  const live: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const object = desiredDeployment(i);
    desired.push({ object });
    live.push(liveDeployment(i, object));
  }
  return { desired, live };
}

/** One full comparison of the pairs, as the benchmark times it (no cache unless `options` brings one). */
export function compareDeploymentPairs(pairs: BenchmarkPairs, options: EnvironmentCompareOptions = {}): EnvironmentDrift {
  return compareEnvironment(pairs.desired, pairs.live, { extraSelector: 'app.kubernetes.io/instance=shop', ...options });
}
