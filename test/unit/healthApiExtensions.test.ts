// APIService and CustomResourceDefinition health on literal objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';

function apiService(conditions?: Array<Record<string, string>>, apiVersion = 'apiregistration.k8s.io/v1'): Record<string, unknown> {
  return { apiVersion, kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, status: conditions ? { conditions } : {} };
}

test('an APIService is Healthy when Available, Progressing otherwise', () => {
  assert.deepEqual(assessHealth(apiService([{ type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' }])), {
    status: 'Healthy',
    message: 'Passed: all checks passed',
  });
  assert.deepEqual(assessHealth(apiService([{ type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'no addresses' }], 'apiregistration.k8s.io/v1beta1')), {
    status: 'Progressing',
    message: 'MissingEndpoints: no addresses',
  });
  assert.deepEqual(assessHealth(apiService()), { status: 'Progressing', message: 'Waiting to be processed' });
});

function crd(conditions?: Array<Record<string, string>>): Record<string, unknown> {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, status: conditions ? { conditions } : {} };
}

const established = { type: 'Established', status: 'True' };
const namesAccepted = { type: 'NamesAccepted', status: 'True' };

test('an established CRD is Healthy', () => {
  assert.deepEqual(assessHealth(crd([namesAccepted, established])), { status: 'Healthy', message: 'CRD is healthy' });
});

test('a CRD without conditions is Progressing; one not established is Degraded', () => {
  assert.deepEqual(assessHealth(crd()), { status: 'Progressing', message: 'Status conditions not found' });
  assert.deepEqual(assessHealth(crd([{ type: 'Established', status: 'False', message: 'not yet' }])), { status: 'Degraded', message: 'CRD is not established: not yet' });
});

test('CRD name conflicts and schema violations are Degraded; termination is Progressing', () => {
  assert.equal(assessHealth(crd([{ type: 'NamesAccepted', status: 'False', message: 'conflict' }, established]))?.status, 'Degraded');
  assert.deepEqual(assessHealth(crd([established, { type: 'NonStructuralSchema', status: 'True', message: 'x-kubernetes' }])), {
    status: 'Degraded',
    message: 'Schema violations found: x-kubernetes',
  });
  assert.deepEqual(assessHealth(crd([established, { type: 'Terminating', status: 'True', message: 'instances remain' }])), {
    status: 'Progressing',
    message: 'CRD is being terminated: instances remain',
  });
});
