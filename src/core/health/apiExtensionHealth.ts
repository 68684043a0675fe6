// Health of the objects that extend the Kubernetes API: APIService (aggregated API servers) and
// CustomResourceDefinition, by their conditions, as gitops-engine assesses them.
import { health, type HealthResult } from './healthStatus';
import { readConditions, type KubeObject } from './objectFields';

export function apiServiceHealth(apiService: KubeObject): HealthResult {
  const available = readConditions(apiService).find((c) => c.type === 'Available');
  // An aggregated API that is not Available yet may still come up: Progressing, never Degraded.
  if (!available) return health('Progressing', 'Waiting to be processed');
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', `${available.reason}: ${available.message}`);
}

export function customResourceDefinitionHealth(crd: KubeObject): HealthResult {
  const conditions = readConditions(crd);
  if (conditions.length === 0) return health('Progressing', 'Status conditions not found');
  let established = false;
  let terminating = false;
  let namesNotAccepted = false;
  let nonStructural = false;
  let message = '';
  for (const c of conditions) {
    if (c.type === 'Terminating' && c.status === 'True') {
      terminating = true;
      message = c.message;
    } else if (c.type === 'NamesAccepted' && c.status === 'False') {
      namesNotAccepted = true;
      message = c.message;
    } else if (c.type === 'Established') {
      if (c.status === 'True') established = true;
      else message = c.message;
    } else if (c.type === 'NonStructuralSchema' && c.status === 'True') {
      nonStructural = true;
      message = c.message;
    }
  }
  if (terminating) return health('Progressing', `CRD is being terminated: ${message}`);
  if (namesNotAccepted) return health('Degraded', `CRD names have not been accepted: ${message}`);
  if (!established) return health('Degraded', `CRD is not established: ${message}`);
  if (nonStructural) return health('Degraded', `Schema violations found: ${message}`);
  return health('Healthy', 'CRD is healthy');
}
