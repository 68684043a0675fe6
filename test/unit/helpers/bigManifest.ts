// Big multi-document manifests for the parser tests and the edit benchmark: document `i` is
// Deployment app-<i> (about 25 lines), documents joined with `---` lines.

export interface DemoDeploymentOptions {
  replicas: number;
  /** Adds `metadata.namespace`. */
  namespace?: string;
  /** Adds a container `resources` line. */
  resources?: boolean;
}

export function demoDeployment(i: number, options: DemoDeploymentOptions): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    ...(options.namespace === undefined ? [] : [`  namespace: ${options.namespace}`]),
    '  labels: { app: demo }',
    'spec:',
    `  replicas: ${options.replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app: app-${i}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: app-${i}`,
    '    spec:',
    '      containers:',
    '        - name: app',
    `          image: ghcr.io/example/app:${i}.0.0`,
    '          ports:',
    '            - containerPort: 8080',
    '          env:',
    '            - name: A',
    '              value: "1"',
    ...(options.resources ? ['          resources: { requests: { cpu: 100m, memory: 64Mi } }'] : []),
  ].join('\n');
}

/** `count` deployments, `options(i)` for document `i`. */
export function demoDeployments(count: number, options: (i: number) => DemoDeploymentOptions): string[] {
  return Array.from({ length: count }, (_, i) => demoDeployment(i, options(i)));
}

/** One manifest of `documents`, separated by `---` lines, ending with a newline. */
export function joinDocuments(documents: readonly string[]): string {
  return `${documents.join('\n---\n')}\n`;
}
