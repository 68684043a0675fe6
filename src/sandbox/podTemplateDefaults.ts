// The defaults a v1.32 API server adds to pod specs (in Pods and in every workload template), so
// that live objects read back with the same extra fields a real cluster shows and drift logic
// meets them in tests.

import { isRecord } from './kubeObject';

type Json = Record<string, unknown>;

function setDefault(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** `Always` for `:latest` or untagged images, `IfNotPresent` otherwise (digests included). */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isRecord(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(container: Json): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  setDefault(container, 'resources', {});
  for (const port of records(container.ports)) setDefault(port, 'protocol', 'TCP');
  for (const env of records(container.env)) {
    if (isRecord(env.valueFrom) && isRecord(env.valueFrom.fieldRef)) setDefault(env.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
}

function defaultVolume(volume: Json): void {
  for (const source of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const value = volume[source];
    if (isRecord(value)) setDefault(value, 'defaultMode', 420);
  }
}

/** Defaults of PodSpec; `isPod` adds the ones only a Pod object (not a template) gets. */
export function defaultPodSpec(spec: unknown, isPod: boolean): void {
  if (!isRecord(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  for (const container of records(spec.containers)) defaultContainer(container);
  for (const container of records(spec.initContainers)) defaultContainer(container);
  for (const volume of records(spec.volumes)) defaultVolume(volume);
  if (isPod) {
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  }
}

export function defaultPodTemplate(template: unknown): void {
  if (!isRecord(template)) return;
  defaultPodSpec(template.spec, false);
}
