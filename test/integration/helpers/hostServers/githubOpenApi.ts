// Checks the GitHub test server against GitHub's official OpenAPI description (@octokit/openapi):
// every request our provider sends must match a path and method of the spec, with declared query
// parameters and a body whose required fields are present; every response the server sends must
// carry the fields the spec's schema requires, with the right types. Responses start from the
// spec's own examples, so the shapes are GitHub's, not ours.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

interface Operation {
  template: string;
  method: string;
  parameters: Schema[];
  requestBody: Schema | undefined;
  responses: Record<string, Schema>;
}

let loaded: GitHubOpenApi | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class GitHubOpenApi {
  private readonly routes: Array<{ regex: RegExp; template: string; methods: Record<string, Schema> }> = [];

  private constructor(private readonly spec: Schema) {
    const paths = spec.paths as Record<string, Record<string, Schema>>;
    for (const [template, methods] of Object.entries(paths)) {
      const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      this.routes.push({ regex, template, methods });
    }
    // Literal paths first so `/pulls/comments` never matches `/pulls/{pull_number}`.
    this.routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** Loads api.github.com.json once per process (13 MB, ~150 ms). */
  static load(): GitHubOpenApi {
    if (!loaded) {
      const file = join(require.resolve('@octokit/openapi/package.json'), '..', 'generated', 'api.github.com.json');
      loaded = new GitHubOpenApi(JSON.parse(readFileSync(file, 'utf8')) as Schema);
    }
    return loaded;
  }

  resolve(node: unknown): Schema {
    let current = node;
    for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === 'string'; i++) {
      const path = current.$ref.replace(/^#\//, '').split('/');
      current = path.reduce<unknown>((acc, key) => (isObject(acc) ? acc[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.spec);
    }
    return isObject(current) ? current : {};
  }

  operation(method: string, path: string): Operation | null {
    for (const route of this.routes) {
      if (!route.regex.test(path)) continue;
      const op = route.methods[method.toLowerCase()];
      if (!op) continue;
      return {
        template: route.template,
        method: method.toLowerCase(),
        parameters: ((op.parameters as unknown[]) ?? []).map((p) => this.resolve(p)),
        requestBody: op.requestBody ? this.resolve(op.requestBody) : undefined,
        responses: Object.fromEntries(Object.entries((op.responses as Record<string, unknown>) ?? {}).map(([k, v]) => [k, this.resolve(v)])),
      };
    }
    return null;
  }

  /** A copy of one of the spec's named examples (`pull-request`, `label-items`…). */
  example(name: string): Json {
    const example = this.resolve({ $ref: `#/components/examples/${name}` });
    return JSON.parse(JSON.stringify(example.value)) as Json;
  }

  /** Problems with a request: unknown path/method, undeclared query parameters, missing required body fields. */
  checkRequest(method: string, path: string, query: URLSearchParams, body: unknown): string[] {
    const op = this.operation(method, path);
    if (!op) return [`${method} ${path} is not in GitHub's OpenAPI description`];
    const problems: string[] = [];
    const declared = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => String(p.name)));
    for (const key of query.keys()) if (!declared.has(key)) problems.push(`${method} ${op.template}: query parameter "${key}" is not declared`);
    for (const p of op.parameters.filter((p) => p.in === 'query')) {
      const value = query.get(String(p.name));
      const schema = this.resolve(p.schema);
      if (value !== null && Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${method} ${op.template}: query ${String(p.name)}=${value} is not one of ${schema.enum.join(', ')}`);
    }
    const content = op.requestBody ? (op.requestBody.content as Record<string, Schema> | undefined)?.['application/json'] : undefined;
    if (content && body !== undefined) problems.push(...this.validate(body, content.schema, `${method} ${op.template} body`, true));
    else if (op.requestBody?.required === true && body === undefined) problems.push(`${method} ${op.template}: body is required`);
    return problems;
  }

  /** Problems with a response: status not declared, required fields missing, wrong types. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.operation(method, path);
    if (!op) return [`${method} ${path} is not in GitHub's OpenAPI description`];
    const response = op.responses[String(status)];
    if (!response) return [`${method} ${op.template}: status ${status} is not declared`];
    const schema = (response.content as Record<string, Schema> | undefined)?.['application/json']?.schema;
    return schema ? this.validate(body, schema, `${method} ${op.template} ${status}`, false) : [];
  }

  /** Required fields and types, recursively; `strictProperties` also flags undeclared properties (requests). */
  validate(value: unknown, rawSchema: unknown, at: string, strictProperties: boolean, depth = 0): string[] {
    const schema = this.resolve(rawSchema);
    if (depth > 40) return [];
    if (value === null) return schema.nullable === true || schema.type === undefined || (Array.isArray(schema.type) && schema.type.includes('null')) ? [] : [`${at}: null where ${String(schema.type ?? 'a value')} is required`];
    for (const key of ['oneOf', 'anyOf'] as const) {
      const options = schema[key];
      if (Array.isArray(options)) {
        const results = options.map((option) => this.validate(value, option, at, strictProperties, depth + 1));
        if (results.some((r) => r.length === 0)) return [];
        return [`${at}: matches none of ${key} (${results.map((r) => r[0]).join(' | ')})`];
      }
    }
    if (Array.isArray(schema.allOf)) return schema.allOf.flatMap((part) => this.validate(value, part, at, strictProperties, depth + 1));
    const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null')[0] : schema.type;
    const problems: string[] = [];
    switch (type) {
      case 'object': {
        if (!isObject(value)) return [`${at}: expected an object`];
        for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in value)) problems.push(`${at}: required field "${key}" is missing`);
        const properties = (schema.properties as Record<string, unknown> | undefined) ?? {};
        for (const [key, child] of Object.entries(value)) {
          if (key in properties) problems.push(...this.validate(child, properties[key], `${at}.${key}`, strictProperties, depth + 1));
          else if (strictProperties && schema.additionalProperties === false) problems.push(`${at}: property "${key}" is not declared`);
          else if (strictProperties && Object.keys(properties).length && schema.additionalProperties === undefined) problems.push(`${at}: property "${key}" is not declared`);
        }
        return problems;
      }
      case 'array':
        if (!Array.isArray(value)) return [`${at}: expected an array`];
        return value.slice(0, 5).flatMap((item, i) => this.validate(item, schema.items, `${at}[${i}]`, strictProperties, depth + 1));
      case 'string':
        if (typeof value !== 'string') return [`${at}: expected a string, got ${typeof value}`];
        if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${at}: "${value}" is not one of ${schema.enum.join(', ')}`];
        return [];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
      case 'number':
        return typeof value === 'number' ? [] : [`${at}: expected a number`];
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
      default:
        return [];
    }
  }
}
