// PersistentVolumeClaim health (gitops-engine): the claim's phase.
import { health, type HealthResult } from './healthStatus';
import { readString, type KubeObject } from './objectFields';

export function persistentVolumeClaimHealth(claim: KubeObject): HealthResult {
  switch (readString(claim, 'status', 'phase')) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing');
    case 'Lost':
      // The bound volume is gone: data the workload expects is not there any more.
      return health('Degraded');
    default:
      return health('Unknown');
  }
}
