// Service and Ingress health (gitops-engine): ready once an address is assigned where one is expected.
import { health, type HealthResult } from './healthStatus';
import { readArray, readString, type KubeObject } from './objectFields';

function hasLoadBalancerIngress(object: KubeObject): boolean {
  return readArray(object, 'status', 'loadBalancer', 'ingress').length > 0;
}

export function serviceHealth(service: KubeObject): HealthResult {
  // Only a LoadBalancer waits on something outside the cluster (the cloud's load balancer).
  if (readString(service, 'spec', 'type') === 'LoadBalancer' && !hasLoadBalancerIngress(service)) return health('Progressing');
  return health('Healthy');
}

export function ingressHealth(ingress: KubeObject): HealthResult {
  return health(hasLoadBalancerIngress(ingress) ? 'Healthy' : 'Progressing');
}
