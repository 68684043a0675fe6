// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which is what
// `kubectl get` asks for: column definitions plus one row of cells per object. Built-in kinds
// get the columns a real server prints for them; custom resources use their CRD's
// additionalPrinterColumns, or Name + Age.

import { isRecord, type KubeObject } from './kubeObject';
import type { PrinterColumn, ResourceType } from './resourceType';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type CellValue = string | number | boolean | null;

interface ColumnSpec {
  column: TableColumn;
  cell: (object: KubeObject, now: number) => CellValue;
}

function column(name: string, type = 'string', priority = 0, format = ''): TableColumn {
  return { name, type, format, description: name, priority };
}

/** kubectl's age style: 45s, 3m12s, 25m, 5h10m, 20h, 3d4h, 12d, 2y. */
export function humanAge(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function at(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

const nameColumn: ColumnSpec = {
  column: { ...column('Name', 'string', 0, 'name'), description: 'Name must be unique within a namespace.' },
  cell: (object) => object.metadata.name ?? '',
};

const ageColumn: ColumnSpec = {
  column: column('Age'),
  cell: (object, now) => humanAge(object.metadata.creationTimestamp, now),
};

function servicePorts(object: KubeObject): string {
  const ports = at(object, 'spec', 'ports');
  if (!Array.isArray(ports) || ports.length === 0) return '<none>';
  return ports
    .filter(isRecord)
    .map((port) => `${String(port.port)}${port.nodePort !== undefined ? `:${String(port.nodePort)}` : ''}/${String(port.protocol ?? 'TCP')}`)
    .join(',');
}

function containerNames(object: KubeObject, field: 'name' | 'image'): string {
  const containers = at(object, 'spec', 'template', 'spec', 'containers');
  return Array.isArray(containers) ? containers.filter(isRecord).map((container) => String(container[field] ?? '')).join(',') : '';
}

const builtinColumns: Record<string, ColumnSpec[]> = {
  'apps/Deployment': [
    nameColumn,
    { column: column('Ready'), cell: (o) => `${num(at(o, 'status', 'readyReplicas'))}/${num(at(o, 'spec', 'replicas'))}` },
    { column: column('Up-to-date', 'integer'), cell: (o) => num(at(o, 'status', 'updatedReplicas')) },
    { column: column('Available', 'integer'), cell: (o) => num(at(o, 'status', 'availableReplicas')) },
    ageColumn,
    { column: column('Containers', 'string', 1), cell: (o) => containerNames(o, 'name') },
    { column: column('Images', 'string', 1), cell: (o) => containerNames(o, 'image') },
  ],
  'apps/StatefulSet': [nameColumn, { column: column('Ready'), cell: (o) => `${num(at(o, 'status', 'readyReplicas'))}/${num(at(o, 'spec', 'replicas'))}` }, ageColumn],
  '/Pod': [
    nameColumn,
    {
      column: column('Ready'),
      cell: (o) => {
        const containers = at(o, 'spec', 'containers');
        return `0/${Array.isArray(containers) ? containers.length : 0}`;
      },
    },
    { column: column('Status'), cell: (o) => String(at(o, 'status', 'phase') ?? 'Pending') },
    { column: column('Restarts', 'string'), cell: () => '0' },
    ageColumn,
  ],
  '/Service': [
    nameColumn,
    { column: column('Type'), cell: (o) => String(at(o, 'spec', 'type') ?? 'ClusterIP') },
    { column: column('Cluster-IP'), cell: (o) => String(at(o, 'spec', 'clusterIP') ?? '<none>') },
    { column: column('External-IP'), cell: () => '<none>' },
    { column: column('Port(s)'), cell: servicePorts },
    ageColumn,
  ],
  '/ConfigMap': [nameColumn, { column: column('Data', 'integer'), cell: (o) => Object.keys({ ...(isRecord(o.data) ? o.data : {}), ...(isRecord(o.binaryData) ? o.binaryData : {}) }).length }, ageColumn],
  '/Secret': [
    nameColumn,
    { column: column('Type'), cell: (o) => String(o.type ?? 'Opaque') },
    { column: column('Data', 'integer'), cell: (o) => (isRecord(o.data) ? Object.keys(o.data).length : 0) },
    ageColumn,
  ],
  '/Namespace': [nameColumn, { column: column('Status'), cell: (o) => String(at(o, 'status', 'phase') ?? 'Active') }, ageColumn],
  'apiextensions.k8s.io/CustomResourceDefinition': [nameColumn, { column: column('Created At', 'date'), cell: (o) => o.metadata.creationTimestamp ?? null }],
};

// A small JSONPath subset for printer columns: .a.b, [n], [*], [?(@.k=="v")].
export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  const steps = path.match(/\.[^.[\]]+|\[\?\(@\.[^)]*\)\]|\[\*\]|\[\d+\]/g) ?? [];
  let values: unknown[] = [object];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of values) {
      if (step.startsWith('.')) {
        if (isRecord(value) && value[step.slice(1)] !== undefined) next.push(value[step.slice(1)]);
      } else if (step === '[*]') {
        if (Array.isArray(value)) next.push(...value);
      } else if (step.startsWith('[?')) {
        const filter = /^\[\?\(@\.([^=!]+?)\s*(==|!=)\s*["']?([^"']*)["']?\)\]$/.exec(step);
        if (filter && Array.isArray(value)) {
          const [, key, op, expected] = filter;
          next.push(...value.filter((item) => isRecord(item) && (String(item[key]) === expected) === (op === '==')));
        }
      } else if (Array.isArray(value)) {
        const item = value[Number(step.slice(1, -1))];
        if (item !== undefined) next.push(item);
      }
    }
    values = next;
  }
  return values;
}

function customColumns(columns: PrinterColumn[]): ColumnSpec[] {
  return [
    nameColumn,
    ...columns.map((printer) => ({
      column: { name: printer.name, type: printer.type, format: printer.format ?? '', description: printer.description ?? printer.name, priority: printer.priority ?? 0 },
      cell: (object: KubeObject, now: number): CellValue => {
        const values = evaluateJsonPath(object, printer.jsonPath);
        if (values.length === 0) return null;
        if (printer.type === 'date') return humanAge(values[0], now);
        const first = values[0];
        if (values.length === 1 && (typeof first === 'number' || typeof first === 'boolean')) return first;
        return values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(',');
      },
    })),
  ];
}

function columnsFor(type: ResourceType): ColumnSpec[] {
  if (type.custom && type.printerColumns && type.printerColumns.length > 0) return customColumns(type.printerColumns);
  return builtinColumns[`${type.group}/${type.kind}`] ?? [nameColumn, ageColumn];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** meta.k8s.io version requested (v1 or v1beta1). */
  version: string;
  includeObject: IncludeObject;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number;
}

function rowObject(object: KubeObject, include: IncludeObject, tableVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: object.metadata };
}

export function renderTable(type: ResourceType, objects: KubeObject[], options: TableOptions): Record<string, unknown> {
  const specs = columnsFor(type);
  const now = Date.now();
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken !== undefined) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: specs.map((spec) => spec.column),
    rows: objects.map((object) => {
      const row: Record<string, unknown> = { cells: specs.map((spec) => spec.cell(object, now)) };
      const included = rowObject(object, options.includeObject, options.version);
      if (included !== undefined) row.object = included;
      return row;
    }),
  };
}
