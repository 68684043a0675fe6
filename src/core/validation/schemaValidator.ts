// Validates a decoded object against an OpenAPI v3 schema the way the API server does:
// JSON types and formats (a wrong type is a decode failure, 400), enums and required fields
// (422 Invalid), fields no schema declares (refused, warned about or dropped per fieldValidation),
// int-or-string, `x-kubernetes-preserve-unknown-fields`, embedded resources and CRD defaults.
//
// Hostile schemas must not hang the caller: `$ref` chains are followed at most MAX_REF_HOPS deep
// (a ref cycle with no value to consume ends there), recursion follows the *value*, which is finite
// and bounded by MAX_VALUE_DEPTH, enums are looked up in a Set built once per schema node, and the
// whole walk stops after a step budget and says so.

import { type FieldProblem, type OpenApiSchema, type SchemaResolver, type UnknownFieldMode } from './openApiSchema';

const MAX_REF_HOPS = 64;
const MAX_VALUE_DEPTH = 512;
const MAX_LISTED_ENUM_VALUES = 100;
const DEFAULT_STEP_BUDGET = 2_000_000;

export interface SchemaValidationOptions {
  resolve: SchemaResolver;
  unknownFields: UnknownFieldMode;
  /**
   * `go`: built-in kinds, decoded into Go structs: a wrong type is `json: cannot unmarshal …`.
   * `structural`: custom resources, checked against their structural schema: `… in body must be of type …`.
   */
  style: 'go' | 'structural';
  /** Fill `default`s of absent fields (CRD schemas). */
  applyDefaults?: boolean;
  /** Remove unknown fields from the value (fieldValidation=Ignore and Warn drop them, as the server's decoder does). */
  prune?: boolean;
  stepBudget?: number;
}

export interface SchemaValidationResult {
  /** Wrong JSON types: the server fails decoding (400 BadRequest) before any other rule runs. */
  decodeErrors: FieldProblem[];
  /** Fields no schema declares, in the order found. */
  unknownFields: FieldProblem[];
  /** Enum and required-field failures (422 Invalid). */
  invalid: FieldProblem[];
  /** True when the step budget ran out (a hostile schema or value); the result is then partial. */
  exhausted: boolean;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const enumSets = new WeakMap<OpenApiSchema, Set<unknown>>();

function enumSet(schema: OpenApiSchema, values: unknown[]): Set<unknown> {
  let set = enumSets.get(schema);
  if (!set) {
    set = new Set(values.map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value)));
    enumSets.set(schema, set);
  }
  return set;
}

/** `V1DeploymentSpec` / `io.k8s.api.apps.v1.DeploymentSpec` → `DeploymentSpec`; `v1` for the Go package. */
const goTypeCache = new Map<string, { pkg: string; name: string }>();

export function goTypeParts(ref: string): { pkg: string; name: string } {
  let parts = goTypeCache.get(ref);
  if (!parts) {
    parts = computeGoTypeParts(ref);
    goTypeCache.set(ref, parts);
  }
  return parts;
}

function computeGoTypeParts(ref: string): { pkg: string; name: string } {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const dotted = name.split('.');
  if (dotted.length > 1) return { pkg: dotted[dotted.length - 2], name: dotted[dotted.length - 1] };
  const match = /^(?:[A-Z][a-z]+)*?(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$/.exec(name);
  if (match) return { pkg: match[1].toLowerCase(), name: match[2] };
  return { pkg: 'v1', name };
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

function structuralTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const INT32 = 2 ** 31;
/** The pattern resource.Quantity's parse error quotes, and the grammar it accepts (suffixes: binary, decimal, exponent). */
const QUANTITY_MESSAGE_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([eE][-+]?\d+)|([KMGTPE]i)|[numkMGTPE])?$/;

class Walker {
  readonly result: SchemaValidationResult = { decodeErrors: [], unknownFields: [], invalid: [], exhausted: false };
  private steps = 0;
  private readonly budget: number;

  constructor(private readonly options: SchemaValidationOptions) {
    this.budget = options.stepBudget ?? DEFAULT_STEP_BUDGET;
  }

  /** Follows `$ref` and single-element `allOf` (how Kubernetes wraps a ref with a description). */
  private resolved(schema: OpenApiSchema): { schema: OpenApiSchema; refName?: string } | undefined {
    let current = schema;
    let refName: string | undefined;
    for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
      if (current.$ref !== undefined) {
        refName = current.$ref;
        const next = this.options.resolve(current.$ref);
        if (!next) return undefined;
        current = next;
        continue;
      }
      if (current.allOf && current.allOf.length === 1 && current.type === undefined && current.properties === undefined) {
        current = current.allOf[0];
        continue;
      }
      return { schema: current, refName };
    }
    return undefined;
  }

  private goType(schema: OpenApiSchema, refName: string | undefined): string {
    if (refName) {
      const parts = goTypeParts(refName);
      if (parts.name === 'Time' || parts.name === 'MicroTime' || parts.name === 'Quantity') return `${parts.name === 'Quantity' ? 'resource' : 'v1'}.${parts.name}`;
      return `${parts.pkg}.${parts.name}`;
    }
    if (schema['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
    switch (schema.type) {
      case 'integer':
        return schema.format === 'int32' ? 'int32' : 'int64';
      case 'number':
        return 'float64';
      case 'boolean':
        return 'bool';
      case 'string':
        return 'string';
      case 'array': {
        const items = schema.items ? this.resolved(schema.items) : undefined;
        return `[]${items ? this.goType(items.schema, items.refName) : 'interface {}'}`;
      }
      case 'object': {
        const values = isRecord(schema.additionalProperties) ? this.resolved(schema.additionalProperties) : undefined;
        return `map[string]${values ? this.goType(values.schema, values.refName) : 'interface {}'}`;
      }
      default:
        return 'interface {}';
    }
  }

  private typeError(value: unknown, schema: OpenApiSchema, refName: string | undefined, at: Location): void {
    const path = at.path;
    if (this.options.style === 'structural') {
      const expected = schema['x-kubernetes-int-or-string'] ? 'integer,string' : (schema.type ?? 'object');
      const shown = JSON.stringify(structuralTypeName(value));
      this.result.invalid.push({ path: at.path, segments: at.segments, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${shown}: ${at.path} in body must be of type ${expected}: ${shown}` });
      return;
    }
    const shown = typeof value === 'number' && !Number.isInteger(value) ? `number ${String(value)}` : jsonTypeName(value);
    const fieldPath = at.segments.filter((segment) => typeof segment === 'string').join('.');
    this.result.decodeErrors.push({
      path,
      segments: at.segments,
      reason: 'FieldValueTypeInvalid',
      message: `json: cannot unmarshal ${shown} into Go struct field ${at.struct}.${fieldPath} of type ${this.goType(schema, refName)}`,
    });
  }

  walk(value: unknown, schemaIn: OpenApiSchema, at: Location, depth: number): void {
    if (this.result.exhausted) return;
    if (++this.steps > this.budget || depth > MAX_VALUE_DEPTH) {
      this.result.exhausted = true;
      return;
    }
    const found = this.resolved(schemaIn);
    if (!found) return;
    const { schema, refName } = found;
    if (value === null || value === undefined) return; // null means absent to the decoder
    const typeName = refName ? goTypeParts(refName).name : undefined;
    const struct = typeName ?? at.struct;
    if (schema['x-kubernetes-int-or-string']) {
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return this.checkEnum(value, schema, at);
      return this.typeError(value, schema, refName, at);
    }
    if (schema.format === 'quantity' || typeName === 'Quantity') return this.checkQuantity(value, schema, refName, at);
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') return this.typeError(value, schema, refName, at);
        if (schema.format === 'int-or-string') return;
        return this.checkEnum(value, schema, at);
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) return this.typeError(value, schema, refName, at);
        if (schema.format === 'int32' && (value >= INT32 || value < -INT32)) return this.typeError(value, schema, refName, at);
        return this.checkEnum(value, schema, at);
      case 'number':
        if (typeof value !== 'number') return this.typeError(value, schema, refName, at);
        return this.checkEnum(value, schema, at);
      case 'boolean':
        if (typeof value !== 'boolean') return this.typeError(value, schema, refName, at);
        return;
      case 'array':
        if (!Array.isArray(value)) return this.typeError(value, schema, refName, at);
        if (schema.items) {
          for (let index = 0; index < value.length; index++) this.walk(value[index], schema.items, at.index(index, struct), depth + 1);
        }
        return;
      default:
        break;
    }
    const isObjectSchema = schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined;
    if (!isObjectSchema) {
      // No type (e.g. JSON, RawExtension, an untyped CRD field): anything goes.
      return;
    }
    if (!isRecord(value)) {
      if (schema['x-kubernetes-preserve-unknown-fields'] && schema.type === undefined) return;
      return this.typeError(value, schema, refName, at);
    }
    this.walkObject(value, schema, at.withStruct(struct), depth);
  }

  /** resource.Quantity: a string or a number in JSON; a string that does not parse fails decoding. */
  private checkQuantity(value: unknown, schema: OpenApiSchema, refName: string | undefined, at: Location): void {
    if (typeof value === 'number') return;
    if (typeof value !== 'string') return this.typeError(value, schema, refName, at);
    if (QUANTITY.test(value)) return;
    const problem = { path: at.path, segments: at.segments, reason: 'FieldValueInvalid' as const };
    if (this.options.style === 'structural') this.result.invalid.push({ ...problem, message: `Invalid value: ${JSON.stringify(value)}: quantities must match the regular expression '${QUANTITY_MESSAGE_PATTERN}'` });
    else this.result.decodeErrors.push({ ...problem, message: `quantities must match the regular expression '${QUANTITY_MESSAGE_PATTERN}'` });
  }

  private checkEnum(value: unknown, schema: OpenApiSchema, at: Location): void {
    if (!schema.enum || schema.enum.length === 0) return;
    if (enumSet(schema, schema.enum).has(value)) return;
    // A hostile schema's enum can be huge: the message lists a bounded number of values.
    const listed = schema.enum.slice(0, MAX_LISTED_ENUM_VALUES).map((item) => JSON.stringify(item));
    if (schema.enum.length > MAX_LISTED_ENUM_VALUES) listed.push(`… (${schema.enum.length - MAX_LISTED_ENUM_VALUES} more)`);
    const supported = listed.join(', ');
    this.result.invalid.push({ path: at.path, segments: at.segments, reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported}` });
  }

  private walkObject(value: Json, schema: OpenApiSchema, at: Location, depth: number): void {
    const properties = schema.properties;
    if (this.options.applyDefaults && properties) {
      for (const [name, child] of Object.entries(properties)) {
        if (value[name] === undefined && child.default !== undefined) value[name] = structuredClone(child.default);
      }
    }
    for (const name of schema.required ?? []) {
      if (value[name] === undefined || value[name] === null) {
        const missing = at.field(name);
        this.result.invalid.push({ path: missing.path, segments: missing.segments, reason: 'FieldValueRequired', message: 'Required value' });
      }
    }
    const embedded = at.isRoot || schema['x-kubernetes-embedded-resource'] === true;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      const declared = properties?.[key];
      if (declared) {
        this.walk(value[key], declared, at.field(key), depth + 1);
        continue;
      }
      if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      if (isRecord(additional)) {
        this.walk(value[key], additional, at.key(key), depth + 1);
        continue;
      }
      if (additional === true || preserve) continue;
      const field = at.field(key);
      this.result.unknownFields.push({ path: field.path, segments: field.segments, reason: 'FieldValueUnknown', message: `unknown field "${field.path}"` });
      if (this.options.prune) delete value[key];
    }
  }
}

/**
 * Where the walk is, as a link to the parent (no path is built unless a problem is reported):
 * the printed path, the segments for source lookup, the enclosing Go struct's name.
 */
class Location {
  constructor(
    private readonly parent: Location | undefined,
    private readonly segment: string | number | undefined,
    /** A map key (printed `[key]`) rather than a field (printed `.field`). */
    private readonly isKey: boolean,
    readonly struct: string,
  ) {}

  /** The chain from the root to here (the root itself has no segment). */
  private chain(): Location[] {
    const out: Location[] = [];
    let at: Location | undefined = this.segment === undefined ? undefined : this;
    while (at && at.segment !== undefined) {
      out.push(at);
      at = at.parent;
    }
    return out.reverse();
  }

  get segments(): (string | number)[] {
    return this.chain().map((at) => at.segment as string | number);
  }

  get path(): string {
    return this.chain()
      .map((at, index) => (typeof at.segment === 'number' || at.isKey ? `[${at.segment}]` : index === 0 ? String(at.segment) : `.${at.segment}`))
      .join('');
  }

  get isRoot(): boolean {
    return this.segment === undefined;
  }

  field(name: string): Location {
    return new Location(this, name, false, this.struct);
  }

  key(name: string): Location {
    return new Location(this, name, true, this.struct);
  }

  index(index: number, struct: string): Location {
    return new Location(this, index, false, struct);
  }

  withStruct(struct: string): Location {
    return struct === this.struct ? this : new Location(this.parent, this.segment, this.isKey, struct);
  }
}

export function validateAgainstSchema(value: unknown, schema: OpenApiSchema, options: SchemaValidationOptions): SchemaValidationResult {
  const walker = new Walker(options);
  walker.walk(value, schema, new Location(undefined, undefined, false, ''), 0);
  return walker.result;
}
