// Argo's own objects. Workflow health is built into gitops-engine. Application health is not: Argo
// CD 1.8 removed it from the defaults (operator manual, "Health", section "Argo CD App"), so
// assessHealth gives an Application no health, as Argo does and as the conformance fixtures expect.
// What an Application *reports* — its status.health, the health of the environment it deploys — is
// read by applicationReportedHealth, the same rule as the Lua script those docs give to turn it back on.
import { health, isHealthStatus, type HealthResult } from './healthStatus';
import { isRecord, readString, type KubeObject } from './objectFields';

export function workflowHealth(workflow: KubeObject): HealthResult {
  const message = readString(workflow, 'status', 'message') ?? '';
  switch (readString(workflow, 'status', 'phase') ?? '') {
    case '':
    case 'Pending':
    case 'Running':
      return health('Progressing', message);
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed':
    case 'Error':
      return health('Degraded', message);
    default:
      return health('Unknown', message);
  }
}

/**
 * The health an Argo CD Application reports for what it deploys (`status.health`), or null when the
 * object is not an Application. Before Argo has reconciled it there is none yet: Progressing.
 */
export function applicationReportedHealth(object: KubeObject): HealthResult | null {
  const apiVersion = object.apiVersion;
  if (object.kind !== 'Application' || typeof apiVersion !== 'string' || !apiVersion.startsWith('argoproj.io/')) return null;
  // Read leniently (no FieldTypeError): this is the operator's own report, not a typed conversion.
  const reported = isRecord(object.status) && isRecord(object.status.health) ? object.status.health : undefined;
  const code = reported?.status;
  const message = typeof reported?.message === 'string' ? reported.message : undefined;
  if (code === undefined || code === null || code === '') return health('Progressing', 'Waiting for application to be reconciled');
  // A code this version does not know (a newer Argo?) is shown as Unknown rather than guessed at.
  return isHealthStatus(code) ? health(code, message) : health('Unknown', `unrecognised health status ${JSON.stringify(code)}`);
}
