// A small JSON Schema (draft-07) checker for the keywords schemas/gitops.schema.json uses:
// type, enum, const, required, properties, additionalProperties, items, pattern, not, minLength,
// oneOf, $ref to #/definitions. Enough to check our own schema against sample configs; not a
// general validator (no ajv among the project's dependencies).

export type JsonSchema = { [key: string]: unknown };

export interface SchemaError {
  /** JSON pointer of the offending value. */
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const SUPPORTED = new Set(['$schema', '$id', 'title', 'description', 'type', 'enum', 'const', 'required', 'properties', 'additionalProperties', 'items', 'pattern', 'not', 'minLength', 'oneOf', '$ref', 'definitions']);

/** Keywords the checker would silently ignore; a schema using them needs a better checker. */
export function unsupportedKeywords(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED.has(key)) out.push(`${path}/${key}`);
    if (key === 'properties' || key === 'definitions') {
      for (const [name, sub] of Object.entries(value as Record<string, unknown>)) out.push(...unsupportedKeywords(sub, `${path}/${key}/${name}`));
    } else if (key === 'oneOf' && Array.isArray(value)) {
      value.forEach((sub, i) => out.push(...unsupportedKeywords(sub, `${path}/oneOf/${i}`)));
    } else if (key === 'items' || key === 'not' || (key === 'additionalProperties' && typeof value === 'object')) {
      out.push(...unsupportedKeywords(value, `${path}/${key}`));
    }
  }
  return out;
}

export function validate(root: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
    const target = name ? (root.definitions as Record<string, JsonSchema> | undefined)?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return resolve(target);
  };
  const check = (raw: JsonSchema, v: unknown, path: string, out: SchemaError[]): void => {
    const schema = resolve(raw);
    const type = schema.type;
    if (type !== undefined) {
      const types = Array.isArray(type) ? (type as string[]) : [type as string];
      const actual = typeOf(v);
      if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
        out.push({ path, message: `must be ${types.join(' or ')}, is ${actual}` });
        return;
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) out.push({ path, message: `must be one of ${schema.enum.join(', ')}` });
    if ('const' in schema && schema.const !== v) out.push({ path, message: `must be ${String(schema.const)}` });
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) out.push({ path, message: `must match ${schema.pattern}` });
      if (typeof schema.minLength === 'number' && [...v].length < schema.minLength) out.push({ path, message: `must have at least ${schema.minLength} characters` });
    }
    if (schema.not !== undefined) {
      const inner: SchemaError[] = [];
      check(schema.not as JsonSchema, v, path, inner);
      if (inner.length === 0) out.push({ path, message: 'must not match the "not" schema' });
    }
    if (Array.isArray(schema.oneOf)) {
      const passing = schema.oneOf.filter((sub) => {
        const inner: SchemaError[] = [];
        check(sub as JsonSchema, v, path, inner);
        return inner.length === 0;
      });
      if (passing.length !== 1) out.push({ path, message: `must match exactly one alternative (matched ${passing.length})` });
    }
    if (Array.isArray(v) && schema.items !== undefined) v.forEach((item, i) => check(schema.items as JsonSchema, item, `${path}/${i}`, out));
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) out.push({ path, message: `requires "${key}"` });
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      for (const [key, child] of Object.entries(object)) {
        if (key in properties) check(properties[key], child, `${path}/${key}`, out);
        else if (schema.additionalProperties === false) out.push({ path: `${path}/${key}`, message: 'is not allowed' });
        else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties as JsonSchema, child, `${path}/${key}`, out);
      }
    }
  };
  check(root, value, '', errors);
  return errors;
}
