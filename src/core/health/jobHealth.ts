// Job health (gitops-engine): running until a Complete, Failed or Suspended condition appears.
import { health, type HealthResult } from './healthStatus';
import { readConditions, type KubeObject } from './objectFields';

export function jobHealth(job: KubeObject): HealthResult {
  let failed = false;
  let failMessage = '';
  let finished = false;
  let suspended = false;
  let message = '';
  for (const condition of readConditions(job)) {
    switch (condition.type) {
      case 'Failed':
        // Argo does not look at the condition's status here: a Failed condition at all means failed.
        failed = true;
        finished = true;
        failMessage = condition.message;
        break;
      case 'Complete':
        finished = true;
        message = condition.message;
        break;
      case 'Suspended':
        finished = true;
        message = condition.message;
        suspended = condition.status === 'True';
        break;
    }
  }
  if (!finished) return health('Progressing', message);
  if (failed) return health('Degraded', failMessage);
  if (suspended) return health('Suspended', message);
  return health('Healthy', message);
}
