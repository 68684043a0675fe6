// The validation rules a real API server applies that manifests most often trip over: object and
// label names, workload selectors that must match their template, required containers, Service
// ports, Secret data encoding. Failures are 422 Invalid with one cause per field.

import { invalid, type StatusCause } from './apiStatus';
import { isRecord, type KubeObject } from './kubeObject';
import type { ResourceType } from './resourceType';

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Kinds whose names must be DNS labels (no dots) rather than DNS subdomains.
const labelNamedKinds = new Set(['/Namespace', '/Service']);

function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field };
}

function checkName(object: KubeObject, type: ResourceType, causes: StatusCause[]): void {
  const name = object.metadata.name;
  if (typeof name !== 'string' || name === '') {
    causes.push(required('metadata.name'));
    return;
  }
  const asLabel = labelNamedKinds.has(`${type.group}/${type.kind}`);
  const pattern = asLabel ? dnsLabel : dnsSubdomain;
  const limit = asLabel ? 63 : 253;
  if (type.kind === 'CustomResourceDefinition') return;
  if (!pattern.test(name) || name.length > limit) {
    const what = asLabel ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
    causes.push(invalidValue('metadata.name', name, `${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`));
  }
}

function checkLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (!dnsSubdomain.test(prefix) || prefix.length > 253)) return false;
  return name.length > 0 && name.length <= 63 && qualifiedName.test(name);
}

function checkLabels(labels: unknown, field: string, causes: StatusCause[]): void {
  if (labels === undefined) return;
  if (!isRecord(labels)) {
    causes.push(invalidValue(field, labels, 'must be a map of strings'));
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!checkLabelKey(key)) causes.push(invalidValue(`${field}`, key, 'name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\''));
    if (typeof value !== 'string' || value.length > 63 || !labelValue.test(value)) {
      causes.push(invalidValue(`${field}.${key}`, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'"));
    }
  }
}

function checkAnnotations(annotations: unknown, causes: StatusCause[]): void {
  if (annotations === undefined) return;
  if (!isRecord(annotations) || Object.values(annotations).some((value) => typeof value !== 'string')) {
    causes.push(invalidValue('metadata.annotations', annotations, 'must be a map of strings'));
  }
}

function selectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

function checkContainers(spec: unknown, field: string, causes: StatusCause[]): void {
  if (!isRecord(spec)) {
    causes.push(required(field));
    return;
  }
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${field}.containers`));
    return;
  }
  containers.forEach((container, index) => {
    if (!isRecord(container) || typeof container.name !== 'string' || container.name === '') causes.push(required(`${field}.containers[${index}].name`));
    else if (!dnsLabel.test(container.name)) causes.push(invalidValue(`${field}.containers[${index}].name`, container.name, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\''));
    if (!isRecord(container) || typeof container.image !== 'string' || container.image === '') causes.push(required(`${field}.containers[${index}].image`));
  });
}

function checkWorkload(object: KubeObject, causes: StatusCause[], needsSelector: boolean): void {
  const spec = object.spec;
  if (!isRecord(spec)) {
    causes.push(required('spec'));
    return;
  }
  const template = isRecord(spec.template) ? spec.template : undefined;
  const selector = isRecord(spec.selector) ? spec.selector : undefined;
  if (needsSelector && !selector) causes.push(required('spec.selector'));
  if (!template) {
    causes.push(required('spec.template'));
    return;
  }
  const templateLabels = isRecord(template.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : {};
  if (template.metadata !== undefined && isRecord(template.metadata)) checkLabels(template.metadata.labels, 'spec.template.metadata.labels', causes);
  if (selector && !selectorMatches(selector, templateLabels)) {
    causes.push(invalidValue('spec.template.metadata.labels', templateLabels, '`selector` does not match template `labels`'));
  }
  checkContainers(template.spec, 'spec.template.spec', causes);
}

function checkService(object: KubeObject, causes: StatusCause[]): void {
  const spec = isRecord(object.spec) ? object.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && spec.type !== 'ExternalName' && !headless) causes.push(required('spec.ports'));
  ports.forEach((port, index) => {
    const value = isRecord(port) ? port.port : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      causes.push(invalidValue(`spec.ports[${index}].port`, value, 'must be between 1 and 65535, inclusive'));
    }
    if (ports.length > 1 && (!isRecord(port) || typeof port.name !== 'string' || port.name === '')) causes.push(required(`spec.ports[${index}].name`));
  });
}

function checkStringMap(value: unknown, field: string, causes: StatusCause[], encoded: boolean): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    causes.push(invalidValue(field, value, 'must be a map'));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') causes.push(invalidValue(`${field}[${key}]`, item, 'must be a string'));
    else if (encoded && !base64.test(item)) causes.push(invalidValue(`${field}[${key}]`, '<secret contents redacted>', 'illegal base64 data'));
  }
}

/** Throws 422 Invalid listing every problem found. */
export function validateObject(object: KubeObject, type: ResourceType): void {
  const causes: StatusCause[] = [];
  checkName(object, type, causes);
  checkLabels(object.metadata.labels, 'metadata.labels', causes);
  checkAnnotations(object.metadata.annotations, causes);
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
      checkWorkload(object, causes, true);
      break;
    case 'batch/Job':
      checkWorkload(object, causes, false);
      break;
    case '/Pod':
      checkContainers(object.spec, 'spec', causes);
      break;
    case '/Service':
      checkService(object, causes);
      break;
    case '/ConfigMap':
      checkStringMap(object.data, 'data', causes, false);
      break;
    case '/Secret':
      checkStringMap(object.data, 'data', causes, true);
      break;
    default:
      break;
  }
  if (causes.length > 0) throw invalid(type, object.metadata.name ?? '', causes);
}
