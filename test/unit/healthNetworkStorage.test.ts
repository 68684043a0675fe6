// Service, Ingress and PersistentVolumeClaim health on literal objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';

function service(type: string | undefined, ingress?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: type ? { type } : {},
    status: ingress ? { loadBalancer: { ingress } } : { loadBalancer: {} },
  };
}

test('a ClusterIP or NodePort Service is Healthy at once', () => {
  assert.deepEqual(assessHealth(service(undefined)), { status: 'Healthy' });
  assert.deepEqual(assessHealth(service('NodePort')), { status: 'Healthy' });
});

test('a LoadBalancer Service is Progressing until the load balancer has an address', () => {
  assert.deepEqual(assessHealth(service('LoadBalancer')), { status: 'Progressing' });
  assert.deepEqual(assessHealth(service('LoadBalancer', [])), { status: 'Progressing' });
  assert.deepEqual(assessHealth(service('LoadBalancer', [{ ip: '203.0.113.7' }])), { status: 'Healthy' });
});

test('an Ingress is Progressing without a load balancer address, in every API group Argo knows', () => {
  for (const apiVersion of ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']) {
    const ingress = { apiVersion, kind: 'Ingress', metadata: { name: 'web' }, spec: {} };
    assert.deepEqual(assessHealth(ingress), { status: 'Progressing' }, apiVersion);
    assert.deepEqual(assessHealth({ ...ingress, status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } } }), { status: 'Healthy' }, apiVersion);
  }
});

test('a PersistentVolumeClaim is Healthy when Bound, Progressing when Pending, Degraded when Lost', () => {
  const claim = (phase?: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, status: phase ? { phase } : {} });
  assert.equal(assessHealth(claim('Bound'))?.status, 'Healthy');
  assert.equal(assessHealth(claim('Pending'))?.status, 'Progressing');
  assert.equal(assessHealth(claim('Lost'))?.status, 'Degraded');
  assert.equal(assessHealth(claim())?.status, 'Unknown');
});
