// The API server's own validation for the built-in kinds the sandbox serves — what its Go code
// (pkg/apis/*/validation, apimachinery's validation helpers) checks beyond the OpenAPI schema:
// names, labels and selectors, container lists, ports, the enumerations of pull and restart
// policies and protocols, quantities. Messages are the 1.32 server's wording, so kubectl prints
// the same text against the sandbox as against a real cluster.

import { goLabelSelector, goScalar, goStringMap } from './goValues';
import { pathText, type FieldProblem, type ProblemReason } from './openApiSchema';

type Json = Record<string, unknown>;
type Segments = (string | number)[];

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.map((item) => (isRecord(item) ? item : {})) : [];
}

const dns1123LabelPattern = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainPattern = `${dns1123LabelPattern}(\\.${dns1123LabelPattern})*`;
const dns1035LabelPattern = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNamePattern = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValuePattern = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const anchored = (pattern: string): RegExp => new RegExp(`^${pattern}$`);
const dns1123Label = anchored(dns1123LabelPattern);
const dns1123Subdomain = anchored(dns1123SubdomainPattern);
const dns1035Label = anchored(dns1035LabelPattern);
const qualifiedName = anchored(qualifiedNamePattern);
const labelValue = anchored(labelValuePattern);

export const DNS1123_LABEL_MESSAGE = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelPattern}')`;
export const DNS1123_SUBDOMAIN_MESSAGE = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainPattern}')`;
export const DNS1035_LABEL_MESSAGE = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelPattern}')`;
const QUALIFIED_NAME_MESSAGE = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNamePattern}')`;
const LABEL_VALUE_MESSAGE = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValuePattern}')`;
const PORT_RANGE_MESSAGE = 'must be between 1 and 65535, inclusive';

export interface RuleProblems {
  /** 422 Invalid causes. */
  invalid: FieldProblem[];
  /** Failures of the decoder itself (quantities), reported by the server as 400 BadRequest. */
  decodeErrors: FieldProblem[];
}

class Collector implements RuleProblems {
  readonly invalid: FieldProblem[] = [];
  readonly decodeErrors: FieldProblem[] = [];

  add(segments: Segments, reason: ProblemReason, message: string, path = pathText(segments)): void {
    this.invalid.push({ path, segments, reason, message });
  }

  required(segments: Segments, detail?: string): void {
    this.add(segments, 'FieldValueRequired', detail ? `Required value: ${detail}` : 'Required value');
  }

  invalidValue(segments: Segments, shownValue: string, detail: string): void {
    this.add(segments, 'FieldValueInvalid', `Invalid value: ${shownValue}: ${detail}`);
  }

  notSupported(segments: Segments, value: unknown, supported: readonly string[]): void {
    this.add(segments, 'FieldValueNotSupported', `Unsupported value: ${goScalar(value)}: supported values: ${supported.map((item) => JSON.stringify(item)).join(', ')}`);
  }

  duplicate(segments: Segments, value: unknown): void {
    this.add(segments, 'FieldValueDuplicate', `Duplicate value: ${goScalar(value)}`);
  }

  forbidden(segments: Segments, detail: string): void {
    this.add(segments, 'FieldValueForbidden', `Forbidden: ${detail}`);
  }
}

/** The problems of a DNS-1123 label (container, namespace and port names). */
export function dns1123LabelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!dns1123Label.test(value)) out.push(DNS1123_LABEL_MESSAGE);
  return out;
}

function dns1123SubdomainProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!dns1123Subdomain.test(value)) out.push(DNS1123_SUBDOMAIN_MESSAGE);
  return out;
}

function dns1035LabelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!dns1035Label.test(value)) out.push(DNS1035_LABEL_MESSAGE);
  return out;
}

/** apimachinery's IsQualifiedName: an optional DNS-subdomain prefix and a name part of ≤ 63 characters. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const problem of dns1123SubdomainProblems(prefix)) out.push(`prefix part ${problem}`);
  } else if (parts.length > 2) {
    return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNamePattern}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !qualifiedName.test(name)) out.push(QUALIFIED_NAME_MESSAGE);
  return out;
}

export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!labelValue.test(value)) out.push(LABEL_VALUE_MESSAGE);
  return out;
}

function checkLabels(labels: unknown, at: Segments, out: Collector): void {
  if (!isRecord(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    for (const problem of qualifiedNameProblems(key)) out.invalidValue(at, goScalar(key), problem);
    if (typeof value === 'string') for (const problem of labelValueProblems(value)) out.invalidValue(at, goScalar(value), problem);
  }
}

function checkAnnotationKeys(annotations: unknown, at: Segments, out: Collector): void {
  if (!isRecord(annotations)) return;
  for (const key of Object.keys(annotations)) {
    for (const problem of qualifiedNameProblems(key.toLowerCase())) out.invalidValue(at, goScalar(key), problem);
  }
}

function checkLabelSelector(selector: unknown, at: Segments, out: Collector): void {
  if (!isRecord(selector)) return;
  checkLabels(selector.matchLabels, [...at, 'matchLabels'], out);
  records(selector.matchExpressions).forEach((expression, index) => {
    const here = [...at, 'matchExpressions', index];
    const operator = expression.operator;
    const values = Array.isArray(expression.values) ? expression.values : [];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) out.required([...here, 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) out.forbidden([...here, 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else {
      out.invalidValue([...here, 'operator'], goScalar(operator), 'not a valid selector operator');
    }
    if (typeof expression.key === 'string') for (const problem of qualifiedNameProblems(expression.key)) out.invalidValue([...here, 'key'], goScalar(expression.key), problem);
  });
}

function selectorIsEmpty(selector: unknown): boolean {
  if (!isRecord(selector)) return true;
  const labels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels + expressions === 0;
}

/** Whether a LabelSelector selects the given labels (matchLabels and matchExpressions). */
export function selectorMatchesLabels(selector: unknown, labels: Json): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return records(selector.matchExpressions).every((expression) => {
    const key = String(expression.key ?? '');
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expression.operator) {
      case 'In':
        return has && values.includes(String(labels[key]));
      case 'NotIn':
        return !has || !values.includes(String(labels[key]));
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

function checkPort(value: unknown, at: Segments, out: Collector): void {
  if (typeof value !== 'number') return;
  if (value < 1 || value > 65535) out.invalidValue(at, goScalar(value), PORT_RANGE_MESSAGE);
}

const protocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

function checkContainerList(containers: unknown, at: Segments, out: Collector, names: Set<string>, requireOne: boolean): void {
  const list = records(containers);
  if (requireOne && list.length === 0) {
    out.required(at);
    return;
  }
  list.forEach((container, index) => {
    const here = [...at, index];
    const name = container.name;
    if (typeof name !== 'string' || name === '') out.required([...here, 'name']);
    else {
      for (const problem of dns1123LabelProblems(name)) out.invalidValue([...here, 'name'], goScalar(name), problem);
      if (names.has(name)) out.duplicate([...here, 'name'], name);
      names.add(name);
    }
    if (typeof container.image !== 'string' || container.image === '') out.required([...here, 'image']);
    const policy = container.imagePullPolicy;
    if (policy !== undefined && policy !== '' && !pullPolicies.includes(String(policy))) out.notSupported([...here, 'imagePullPolicy'], policy, pullPolicies);
    const portNames = new Set<string>();
    records(container.ports).forEach((port, portIndex) => {
      const portAt = [...here, 'ports', portIndex];
      if (port.containerPort === undefined) out.required([...portAt, 'containerPort']);
      else checkPort(port.containerPort, [...portAt, 'containerPort'], out);
      if (port.hostPort !== undefined && port.hostPort !== 0) checkPort(port.hostPort, [...portAt, 'hostPort'], out);
      if (port.protocol !== undefined && !protocols.includes(String(port.protocol))) out.notSupported([...portAt, 'protocol'], port.protocol, protocols);
      if (typeof port.name === 'string' && port.name !== '') {
        if (portNames.has(port.name)) out.duplicate([...portAt, 'name'], port.name);
        portNames.add(port.name);
      }
    });
  });
}

/** Which restart policies a pod may have: any for Pods, Always for controllers, OnFailure/Never for Jobs. */
type RestartPolicies = readonly string[];
const anyRestart: RestartPolicies = ['Always', 'OnFailure', 'Never'];
const alwaysRestart: RestartPolicies = ['Always'];
const jobRestart: RestartPolicies = ['OnFailure', 'Never'];

function checkPodSpec(spec: unknown, at: Segments, out: Collector, restart: RestartPolicies): void {
  if (!isRecord(spec)) {
    out.required([...at, 'containers']);
    return;
  }
  const names = new Set<string>();
  checkContainerList(spec.containers, [...at, 'containers'], out, names, true);
  checkContainerList(spec.initContainers, [...at, 'initContainers'], out, names, false);
  const policy = spec.restartPolicy;
  if (policy !== undefined && policy !== '' && !restart.includes(String(policy))) out.notSupported([...at, 'restartPolicy'], policy, restart);
}

/** The template's labels as the server decodes them: undefined (Go's nil map) when absent. */
function checkPodTemplate(template: unknown, at: Segments, out: Collector, restart: RestartPolicies): Json | undefined {
  if (!isRecord(template)) {
    out.required(at);
    return undefined;
  }
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  checkLabels(metadata.labels, [...at, 'metadata', 'labels'], out);
  checkPodSpec(template.spec, [...at, 'spec'], out, restart);
  return isRecord(metadata.labels) ? metadata.labels : undefined;
}

function checkReplicas(spec: Json, out: Collector): void {
  if (typeof spec.replicas === 'number' && spec.replicas < 0) out.invalidValue(['spec', 'replicas'], goScalar(spec.replicas), 'must be greater than or equal to 0');
}

function checkSelectedWorkload(spec: Json, out: Collector, kindLower: string, restart: RestartPolicies): void {
  const selector = spec.selector;
  if (selector === undefined) out.required(['spec', 'selector']);
  else {
    checkLabelSelector(selector, ['spec', 'selector'], out);
    if (selectorIsEmpty(selector)) out.invalidValue(['spec', 'selector'], goLabelSelector(selector), `empty selector is invalid for ${kindLower}`);
  }
  const labels = checkPodTemplate(spec.template, ['spec', 'template'], out, restart);
  if (selector !== undefined && !selectorIsEmpty(selector) && isRecord(spec.template) && !selectorMatchesLabels(selector, labels ?? {})) {
    // A nil map prints as `map[string]string(nil)` (Go's %#v), an empty one as `map[string]string{}`.
    out.invalidValue(['spec', 'template', 'metadata', 'labels'], goStringMap(labels), '`selector` does not match template `labels`');
  }
}

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function checkService(spec: Json, out: Collector): void {
  const type = spec.type ?? 'ClusterIP';
  if (!serviceTypes.includes(String(type))) out.notSupported(['spec', 'type'], type, serviceTypes);
  const ports = records(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) out.required(['spec', 'ports']);
  const names = new Set<string>();
  ports.forEach((port, index) => {
    const at = ['spec', 'ports', index];
    if (ports.length > 1 && (typeof port.name !== 'string' || port.name === '')) out.required([...at, 'name']);
    if (typeof port.name === 'string' && port.name !== '') {
      if (names.has(port.name)) out.duplicate([...at, 'name'], port.name);
      names.add(port.name);
    }
    if (port.port === undefined) out.required([...at, 'port']);
    else checkPort(port.port, [...at, 'port'], out);
    if (port.protocol !== undefined && !protocols.includes(String(port.protocol))) out.notSupported([...at, 'protocol'], port.protocol, protocols);
    if (typeof port.targetPort === 'number' && port.targetPort !== 0) checkPort(port.targetPort, [...at, 'targetPort'], out);
    if (port.nodePort !== undefined && port.nodePort !== 0) checkPort(port.nodePort, [...at, 'nodePort'], out);
  });
  checkLabels(spec.selector, ['spec', 'selector'], out);
}

function checkObjectName(object: Json, group: string, kind: string, out: Collector): void {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    if (typeof metadata.generateName !== 'string' || metadata.generateName === '') out.required(['metadata', 'name'], 'name or generateName is required');
  } else if (!(group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition')) {
    const problems = group === '' && kind === 'Service' ? dns1035LabelProblems(name) : group === '' && kind === 'Namespace' ? dns1123LabelProblems(name) : dns1123SubdomainProblems(name);
    for (const problem of problems) out.invalidValue(['metadata', 'name'], goScalar(name), problem);
  }
  const namespace = metadata.namespace;
  if (typeof namespace === 'string' && namespace !== '') for (const problem of dns1123LabelProblems(namespace)) out.invalidValue(['metadata', 'namespace'], goScalar(namespace), problem);
  checkLabels(metadata.labels, ['metadata', 'labels'], out);
  checkAnnotationKeys(metadata.annotations, ['metadata', 'annotations'], out);
}

/**
 * The server-side rules for one object (group '' is the core group). Custom resources get only
 * the metadata rules (name, namespace, labels, annotations), as the server applies to them.
 */
export function apiServerRuleProblems(object: Json, group: string, kind: string, builtin = true): RuleProblems {
  const out = new Collector();
  checkObjectName(object, builtin ? group : 'custom', kind, out);
  if (!builtin) return out;
  const spec = isRecord(object.spec) ? object.spec : undefined;
  switch (`${group}/${kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
      if (!spec) out.required(['spec']);
      else {
        checkReplicas(spec, out);
        checkSelectedWorkload(spec, out, kind.toLowerCase(), alwaysRestart);
      }
      break;
    case 'batch/Job':
      if (!spec) out.required(['spec']);
      else {
        if (spec.selector !== undefined) checkLabelSelector(spec.selector, ['spec', 'selector'], out);
        const template = isRecord(spec.template) ? spec.template : undefined;
        if (!template) out.required(['spec', 'template']);
        else {
          checkPodTemplate(template, ['spec', 'template'], out, jobRestart);
          const podSpec = isRecord(template.spec) ? template.spec : {};
          if (podSpec.restartPolicy === undefined) out.notSupported(['spec', 'template', 'spec', 'restartPolicy'], 'Always', jobRestart);
        }
      }
      break;
    case 'batch/CronJob': {
      const jobTemplate = spec && isRecord(spec.jobTemplate) ? spec.jobTemplate : undefined;
      const jobSpec = jobTemplate && isRecord(jobTemplate.spec) ? jobTemplate.spec : undefined;
      if (!spec || typeof spec.schedule !== 'string' || spec.schedule === '') out.required(['spec', 'schedule']);
      if (jobSpec) checkPodTemplate(jobSpec.template, ['spec', 'jobTemplate', 'spec', 'template'], out, jobRestart);
      break;
    }
    case '/Pod':
      checkPodSpec(spec, ['spec'], out, anyRestart);
      break;
    case '/Service':
      checkService(spec ?? {}, out);
      break;
    case 'policy/PodDisruptionBudget':
      if (spec?.selector !== undefined) checkLabelSelector(spec.selector, ['spec', 'selector'], out);
      break;
    case 'networking.k8s.io/NetworkPolicy':
      if (spec?.podSelector !== undefined) checkLabelSelector(spec.podSelector, ['spec', 'podSelector'], out);
      break;
    default:
      break;
  }
  return out;
}
