// The path and selector languages of the drift engine, held rule by rule: the jq subset of Argo CD
// `ignoreDifferences.jqPathExpressions` (each token, each refusal with its exact text and column,
// each evaluation step), API server field paths and the Invalid verdicts built from them,
// Kubernetes label selectors, resource quantities, RFC 6901 pointers and list merge keys.
// Written for the mutation group core-drift-paths: it kills survivors of src/core/drift/jqPath.ts,
// invalidObjects.ts, quantity.ts, labelSelector.ts, listKeys.ts and jsonPointer.ts that the drift
// tests, which reach these modules only through whole comparisons, let through. Properties on
// seeded inputs hold them against independent references (rational BigInt arithmetic for
// quantities, structured requirements for selectors, jq's index rules for list indices).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { fieldPathPointer, schemaVerdict, serverVerdict } from '../../src/core/drift/invalidObjects';
import { JqPathError, jqPathsIn, parseJqPath } from '../../src/core/drift/jqPath';
import { removeAt } from '../../src/core/drift/jsonPointer';
import { LabelSelectorError, parseLabelSelector } from '../../src/core/drift/labelSelector';
import { keyedLists } from '../../src/core/drift/listKeys';
import { formatQuantity, parseQuantity } from '../../src/core/drift/quantity';
import { CustomResourceCatalog } from '../../src/core/validation/schemaCatalog';
import { seededRandom } from '../support/seededRandom';

const SUPPORTED =
  '. Supported: paths (.a.b, .a[0], .a[], .a[]?, ."key", .["key"]), pipes (|), and select(<path> == <literal>) or != joined with and/or';

function refusal(expression: string, detail: string): string {
  return `unsupported jq expression "${expression}": ${detail}${SUPPORTED}`;
}

function assertRefused(expression: string, detail: string): void {
  assert.throws(
    () => parseJqPath(expression),
    (error: unknown) => {
      assert.ok(error instanceof JqPathError, `${expression}: ${String(error)}`);
      assert.equal(error.name, 'JqPathError');
      assert.equal(error.expression, expression);
      assert.equal(error.message, refusal(expression, detail));
      return true;
    },
    expression,
  );
}

function paths(expression: string, root: unknown): Array<Array<string | number>> {
  return jqPathsIn(parseJqPath(expression), root);
}

describe('jq paths: refusals name the token and its column', () => {
  it('refuses recursive descent where it starts', () => {
    assertRefused('..', 'recursive descent ".." at column 1 is not supported');
    assertRefused('.a..b', 'recursive descent ".." at column 3 is not supported');
    assertRefused('.a | ..', 'recursive descent ".." at column 6 is not supported');
  });

  it('refuses characters outside the language, a lone = or !, and a minus without digits', () => {
    assertRefused('.a # note', '"#" at column 4 is not supported');
    assertRefused('select(.a = 1)', '"=" at column 11 is not supported');
    assertRefused('select(.a ! 1)', '"!" at column 11 is not supported');
    assertRefused('select(.a == -x1)', '"-" at column 14 is not supported');
  });

  it('refuses an unterminated string and a string JSON cannot read', () => {
    assertRefused('."abc', 'unterminated string at column 2');
    assertRefused('.["abc\\"]', 'unterminated string at column 3');
    assertRefused('.["a\\q"]', 'bad string "a\\q" at column 3');
  });

  it('refuses tokens out of place, at their column', () => {
    assertRefused('.a == 1', '"==" at column 4 is not supported here');
    assertRefused('.a != 1', '"!=" at column 4 is not supported here');
    assertRefused('.a |', '"end of expression" at column 5 is not supported here');
    assertRefused('.a.', '"end of expression" at column 4 is not supported here');
    assertRefused('.a.|.b', '"|" at column 4 is not supported here');
    assertRefused('.[0', '"end of expression" at column 4 is not supported here');
    assertRefused('[0]', '"[" at column 1 is not supported here');
    assertRefused('.a ]', '"]" at column 4 is not supported here');
    assertRefused('select .a == 1)', '"." at column 8 is not supported here');
  });

  it('names a function it does not know as a function', () => {
    assertRefused('keys', 'function "keys" at column 1 is not supported here');
    assertRefused('a.b', 'function "a" at column 1 is not supported here');
    assertRefused('.spec | length', 'function "length" at column 9 is not supported here');
  });

  it('refuses an index that is not an integer or a string', () => {
    assertRefused('.[1.5]', 'index 1.5 at column 3 is not supported here');
    assertRefused('.[a]', 'index a at column 3 is not supported here');
    assertRefused('.[true]', 'index true at column 3 is not supported here');
  });

  it('refuses comparisons other than == and !=, and operands that are not paths or literals', () => {
    assertRefused('select(.a 1)', '"1" (only == and != compare) at column 11 is not supported here');
    assertRefused('select(.a == foo)', '"foo" at column 14 is not supported here');
    assertRefused('select(.a == )', '")" at column 14 is not supported here');
    assertRefused('select(.a == 1 xor .b == 1)', '"xor" at column 16 is not supported here');
    assertRefused('select(.a == 1 foo)', '"foo" at column 16 is not supported here');
    assertRefused('select(.a == 1 andalso .b == 1)', '"andalso" at column 16 is not supported here');
  });
});

describe('jq paths: what an expression selects', () => {
  const doc = {
    a: { b: 1, 'x.y': 2, 'q"t': 3, 'b\\s': 4 },
    items: [
      { name: 'a', n: 1, on: true, tag: null },
      { name: 'b', n: 1000, on: false },
      { name: 'c', n: 0.001, on: true, tag: 'x' },
      { name: 'd', n: 1.25, on: false, tag: 'x' },
      { name: 'e', n: 10, on: true, tag: 'y' },
      { name: 'f', n: -1, on: true, tag: 'y' },
      { name: 'g', n: 25000000000 },
    ],
    text: 'abc',
    nothing: null,
    list: [10, 11, 12],
  };
  const selected = (condition: string): string[] => paths(`.items[] | select(${condition}) | .name`, doc).map((path) => doc.items[path[1] as number].name);

  it('selects the root, fields, quoted fields and bracketed keys, with escapes', () => {
    assert.deepEqual(paths('.', doc), [[]]);
    assert.deepEqual(paths(' . ', doc), [[]]);
    assert.deepEqual(paths('."a"', doc), [['a']]);
    assert.deepEqual(paths('."a"."x.y"', doc), [['a', 'x.y']]);
    assert.deepEqual(paths('.a."b"', doc), [['a', 'b']]);
    assert.deepEqual(paths('.a.["b"]', doc), [['a', 'b']]);
    assert.deepEqual(paths('.["list"].[1]', doc), [['list', 1]]);
    assert.deepEqual(paths('.a["q\\"t"]', doc), [['a', 'q"t']]);
    assert.deepEqual(paths('.a["b\\\\s"]', doc), [['a', 'b\\s']]);
    assert.deepEqual(paths('.a | .b', doc), [['a', 'b']]);
    assert.deepEqual(paths('.list[]?', doc), [['list', 0], ['list', 1], ['list', 2]]);
  });

  it('iterates a list by index and a map by key', () => {
    assert.deepEqual(paths('.a[]', doc), [['a', 'b'], ['a', 'x.y'], ['a', 'q"t'], ['a', 'b\\s']]);
    assert.deepEqual(paths('.list[]', doc), [['list', 0], ['list', 1], ['list', 2]]);
  });

  it('finds nothing under a string, a number, null or a list asked for a name', () => {
    assert.deepEqual(paths('.text.b', doc), []);
    assert.deepEqual(paths('.text.length', doc), []);
    assert.deepEqual(paths('.text[]', doc), []);
    assert.deepEqual(paths('.a.b.c', doc), []);
    assert.deepEqual(paths('.a.b[]', doc), []);
    assert.deepEqual(paths('.nothing.b', doc), []);
    assert.deepEqual(paths('.nothing[]', doc), []);
    assert.deepEqual(paths('.list.length', doc), []);
    assert.deepEqual(paths('.list.b', doc), []);
    assert.deepEqual(paths('.a[0]', doc), []);
  });

  it('indexes a list as jq does: from the end when negative, nothing outside it (every length and index)', () => {
    for (let length = 0; length <= 4; length++) {
      const list = Array.from({ length }, (_, i) => `item${i}`);
      for (let index = -6; index <= 6; index++) {
        const position = index < 0 ? length + index : index;
        const expected = position >= 0 && position < length ? [['l', position]] : [];
        assert.deepEqual(paths(`.l[${index}]`, { l: list }), expected, `.l[${index}] of ${length}`);
        assert.deepEqual(paths(`.l | .[${index}]`, { l: list }), expected);
      }
    }
    assert.deepEqual(paths('.list[10]', { list: Array.from({ length: 11 }, (_, i) => i) }), [['list', 10]]);
  });

  it('compares with number literals in every JSON spelling', () => {
    assert.deepEqual(selected('.n == 1'), ['a']);
    assert.deepEqual(selected('.n == 1.0'), ['a']);
    assert.deepEqual(selected('.n == 10'), ['e']);
    assert.deepEqual(selected('.n == 1.25'), ['d']);
    assert.deepEqual(selected('.n == 1e3'), ['b']);
    assert.deepEqual(selected('.n == 1E3'), ['b']);
    assert.deepEqual(selected('.n == 1e+3'), ['b']);
    assert.deepEqual(selected('.n == 1e-3'), ['c']);
    assert.deepEqual(selected('.n == 2.5e10'), ['g']);
    assert.deepEqual(selected('.n == 25e+8'), []);
    assert.deepEqual(selected('.n == 25e9'), ['g']);
    assert.deepEqual(selected('.n == -1'), ['f']);
    assert.deepEqual(selected('.n==-1'), ['f']);
  });

  it('compares with true, false, null (a missing field is null) and strings', () => {
    assert.deepEqual(selected('.on == true'), ['a', 'c', 'e', 'f']);
    assert.deepEqual(selected('.on == false'), ['b', 'd']);
    assert.deepEqual(selected('.on != false'), ['a', 'c', 'e', 'f', 'g']);
    assert.deepEqual(selected('.tag == null'), ['a', 'b', 'g']);
    assert.deepEqual(selected('.tag != null'), ['c', 'd', 'e', 'f']);
    assert.deepEqual(selected('.name== "b"'), ['b']);
    assert.deepEqual(selected('"b" == .name'), ['b']);
    assert.deepEqual(selected('.name == .name'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.deepEqual(selected('.name != .tag'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('joins comparisons with and, or, and parentheses; and binds tighter than or', () => {
    assert.deepEqual(selected('.on == true and .tag == "y"'), ['e', 'f']);
    assert.deepEqual(selected('.name == "a" and .on == false'), []);
    assert.deepEqual(selected('.name == "a" or .name == "b"'), ['a', 'b']);
    assert.deepEqual(selected('.name == "a" or .name == "d" and .on == true'), ['a']);
    assert.deepEqual(selected('(.name == "a" or .name == "d") and .on == true'), ['a']);
    assert.deepEqual(selected('(.name == "a" or .name == "d") and (.on == false)'), ['d']);
    assert.deepEqual(selected('.tag == "x" and .on == true or .n == 10'), ['c', 'e']);
  });

  it('selects the value itself when a select is the whole expression', () => {
    assert.deepEqual(paths('select(.text == "abc")', doc), [[]]);
    assert.deepEqual(paths('select(.text == "abd")', doc), []);
  });
});

describe('API server field paths and Invalid verdicts', () => {
  it('turns field paths into pointers and refuses empty segments', () => {
    assert.equal(fieldPathPointer('spec.containers[0].image'), '/spec/containers/0/image');
    assert.equal(fieldPathPointer('a..b'), undefined);
    assert.equal(fieldPathPointer('.a'), undefined);
    assert.equal(fieldPathPointer('a[0]..b'), undefined);
    assert.equal(fieldPathPointer('a['), undefined);
    assert.equal(fieldPathPointer('[x]'), '/x');
    assert.equal(fieldPathPointer(''), '');
  });

  it('keeps every cause of a dry-run refusal, with a pointer only where the field is a path', () => {
    const verdict = serverVerdict('Deployment', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1', [
      { field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
      { field: 'a..b', message: 'odd path' },
      { reason: 'FieldValueForbidden' },
      {},
      { field: '', message: 'no field' },
    ]);
    assert.deepEqual(verdict, {
      by: 'server',
      reason: 'the cluster\'s dry-run refuses it: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
      problems: [
        { path: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0', pointer: '/spec/replicas' },
        { path: 'a..b', message: 'odd path' },
        { path: '', message: 'FieldValueForbidden' },
        { path: '', message: 'refused' },
        { path: '', message: 'no field' },
      ],
    });
  });

  it('gives a refusal without causes one problem: the message', () => {
    assert.deepEqual(serverVerdict('ConfigMap', 'ConfigMap "c" is invalid', []), {
      by: 'server',
      reason: 'the cluster\'s dry-run refuses it: ConfigMap "c" is invalid',
      problems: [{ path: '', message: 'ConfigMap "c" is invalid' }],
    });
  });

  it('masks quoted values under a Secret\'s data and stringData only, and nothing of other kinds', () => {
    const secret = serverVerdict('Secret', 'Secret "db" is invalid: data[password]: Invalid value: "hunter2"', [
      { field: 'data[password]', message: 'Invalid value: "hunter2": not base64' },
      { field: 'stringData[token]', message: 'Invalid value: "s3cr\\"et": too long' },
      { field: 'metadata.labels[data]', message: 'Invalid value: "a b": not a label value' },
      { field: 'metadata.annotations[stringData]', message: 'Invalid value: "c d": bad' },
    ]);
    assert.deepEqual(secret, {
      by: 'server',
      reason: 'the cluster\'s dry-run refuses it: Secret "(secret value)" is invalid: data[password]: Invalid value: "(secret value)"',
      problems: [
        { path: 'data[password]', message: 'Invalid value: "(secret value)": not base64', pointer: '/data/password' },
        { path: 'stringData[token]', message: 'Invalid value: "(secret value)": too long', pointer: '/stringData/token' },
        { path: 'metadata.labels[data]', message: 'Invalid value: "a b": not a label value', pointer: '/metadata/labels/data' },
        { path: 'metadata.annotations[stringData]', message: 'Invalid value: "c d": bad', pointer: '/metadata/annotations/stringData' },
      ],
    });
    const configMap = serverVerdict('ConfigMap', 'ConfigMap "c" is invalid: data[k y]: Invalid value: "k y"', [{ field: 'data[k y]', message: 'Invalid value: "k y": a valid config key' }]);
    assert.equal(configMap.reason, 'the cluster\'s dry-run refuses it: ConfigMap "c" is invalid: data[k y]: Invalid value: "k y"');
    assert.deepEqual(configMap.problems, [{ path: 'data[k y]', message: 'Invalid value: "k y": a valid config key', pointer: '/data/k y' }]);
  });

  const widgetCrd = (kind: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural: `${kind.toLowerCase()}s` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                data: { type: 'object', properties: { mode: { type: 'string', enum: ['red', 'blue'] } } },
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'integer' },
                    color: { type: 'string', enum: ['red', 'blue'] },
                    items: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
  const catalogOf = (kind: string): CustomResourceCatalog => {
    const catalog = new CustomResourceCatalog();
    catalog.add(widgetCrd(kind));
    return catalog;
  };
  const widget = (spec: unknown, kind = 'Widget'): KubeObject => ({ apiVersion: 'example.com/v1', kind, metadata: { name: 'w', namespace: 'shop' }, spec });

  it('points a missing field at the object that should hold it', () => {
    const catalog = catalogOf('Widget');
    assert.deepEqual(schemaVerdict(widget({}), catalog), {
      by: 'schema',
      reason: 'the API server would refuse it: spec.size: Required value',
      problems: [{ path: 'spec.size', message: 'Required value', pointer: '/spec' }],
    });
    assert.deepEqual(schemaVerdict(widget({ size: 1, items: [{ name: 'a' }, {}] }), catalog)?.problems, [
      { path: 'spec.items[1].name', message: 'Required value', pointer: '/spec/items/1' },
    ]);
    assert.equal(schemaVerdict(widget({ size: 1 }), catalog), undefined);
  });

  it('summarises the first problem, prefixed by its path unless the message names it, and counts the rest', () => {
    const catalog = catalogOf('Widget');
    const wrongType = schemaVerdict(widget({ size: 'x' }), catalog);
    assert.equal(wrongType?.reason, 'the API server would refuse it: Invalid value: "string": spec.size in body must be of type integer: "string"');
    assert.deepEqual(wrongType?.problems.map((p) => p.pointer), ['/spec/size']);
    const two = schemaVerdict(widget({ size: 1, color: 'green', extra: true }), catalog);
    assert.equal(two?.reason, 'the API server would refuse it: unknown field "spec.extra" (and 1 more)');
    assert.deepEqual(two?.problems.map((p) => p.pointer), ['/spec/extra', '/spec/color']);
    const missingAndWrong = schemaVerdict(widget({ color: 'green' }), catalog);
    assert.equal(missingAndWrong?.reason, 'the API server would refuse it: spec.size: Required value (and 1 more)');
    const unsupported = schemaVerdict(widget({ size: 1, color: 'green' }), catalog);
    assert.equal(unsupported?.reason, 'the API server would refuse it: spec.color: Unsupported value: "green": supported values: "red", "blue"');
  });

  it('masks the values a schema problem quotes under a Secret\'s data, and only there', () => {
    const catalog = catalogOf('Secret');
    const object: KubeObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 's' }, data: { mode: 'hunter2' }, spec: { size: 1, color: 'green' } };
    const verdict = schemaVerdict(object, catalog);
    assert.ok(verdict);
    const byPath = new Map(verdict.problems.map((p) => [p.path, p.message]));
    assert.equal(byPath.get('data.mode'), 'Unsupported value: "(secret value)": supported values: "(secret value)", "(secret value)"');
    assert.equal(byPath.get('spec.color'), 'Unsupported value: "green": supported values: "red", "blue"');
    assert.ok(!JSON.stringify(verdict).includes('hunter2'));
  });

  it('remembers a verdict per catalog: asking with another catalog keeps the first one', () => {
    const one = catalogOf('Widget');
    const other = catalogOf('Widget');
    const object = widget({ size: 'x' });
    const first = schemaVerdict(object, one);
    assert.ok(first);
    const second = schemaVerdict(object, other);
    assert.notEqual(second, first, 'another catalog validates again');
    assert.deepEqual(second, first);
    assert.equal(schemaVerdict(object, one), first, 'the first catalog\'s verdict is still remembered');
    assert.equal(schemaVerdict(object, other), second);
  });
});

describe('label selectors', () => {
  it('names its error and says what it could not read', () => {
    assert.throws(
      () => parseLabelSelector('app=web,=x'),
      (error: unknown) => {
        assert.ok(error instanceof LabelSelectorError);
        assert.equal(error.name, 'LabelSelectorError');
        assert.equal(error.selector, 'app=web,=x');
        assert.equal(error.message, 'label selector "app=web,=x": cannot read "=x"; write key=value, key!=value, key in (a,b), key notin (a,b), key or !key');
        return true;
      },
    );
  });

  it('reads terms with spaces around commas, operators and set members', () => {
    const matches = parseLabelSelector(' app = web ,  tier != db , env in ( dev , qa ) ,  !legacy , zone notin (a,b)');
    assert.equal(matches({ app: 'web', env: 'qa' }), true);
    assert.equal(matches({ app: 'web', env: 'dev', tier: 'api', zone: 'c' }), true);
    assert.equal(matches({ app: 'web', env: 'prod' }), false);
    assert.equal(matches({ app: 'web', env: 'qa', tier: 'db' }), false);
    assert.equal(matches({ app: 'web', env: 'qa', legacy: '' }), false);
    assert.equal(matches({ app: 'web', env: 'qa', zone: 'b' }), false);
    assert.equal(matches(undefined), false);
    assert.equal(parseLabelSelector('')(undefined), true);
    assert.equal(parseLabelSelector(' , ')({}), true);
  });

  type Requirement =
    | { op: 'in' | 'notin'; key: string; values: string[] }
    | { op: '=' | '==' | '!='; key: string; value: string }
    | { op: 'exists' | '!'; key: string };

  // Kubernetes' documented meaning of each requirement (labels.Requirement.Matches).
  function holds(requirement: Requirement, labels: Record<string, string>): boolean {
    const present = Object.hasOwn(labels, requirement.key);
    switch (requirement.op) {
      case 'in':
        return present && requirement.values.includes(labels[requirement.key]);
      case 'notin':
        return !present || !requirement.values.includes(labels[requirement.key]);
      case '=':
      case '==':
        return present && labels[requirement.key] === requirement.value;
      case '!=':
        return !present || labels[requirement.key] !== requirement.value;
      case 'exists':
        return present;
      case '!':
        return !present;
    }
  }

  it('matches as Kubernetes does: every requirement must hold (property over seeded selectors and label sets)', () => {
    const random = seededRandom(8301);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const keys = ['app', 'tier', 'example.com/env'];
    const values = ['web', 'db', 'x.y'];
    const space = (): string => pick(['', ' ', '  ']);
    const text = (r: Requirement): string => {
      if ('values' in r) return `${r.key} ${r.op}${space()}(${space()}${r.values.join(`${space()},${space()}`)}${space()})`;
      if ('value' in r) return `${r.key}${space()}${r.op}${space()}${r.value}`;
      return r.op === 'exists' ? r.key : `!${space()}${r.key}`;
    };
    let matched = 0;
    for (let run = 0; run < 600; run++) {
      const requirements: Requirement[] = [];
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const op = pick(['in', 'notin', '=', '==', '!=', 'exists', '!'] as const);
        const key = pick(keys);
        if (op === 'in' || op === 'notin') requirements.push({ op, key, values: values.filter(() => random() < 0.5).concat(pick(values)) });
        else if (op === 'exists' || op === '!') requirements.push({ op, key });
        else requirements.push({ op, key, value: pick([...values, '']) });
      }
      const labels: Record<string, string> = {};
      for (const key of keys) if (random() < 0.6) labels[key] = pick([...values, '']);
      const selector = requirements.map(text).join(`${space()},${space()}`);
      const expected = requirements.every((r) => holds(r, labels));
      assert.equal(parseLabelSelector(selector)(labels), expected, `${selector} on ${JSON.stringify(labels)}`);
      if (expected) matched++;
    }
    assert.ok(matched > 60 && matched < 540, `${matched} of 600 matched: the cases would test little`);
  });

  it('treats an empty member of a set as the empty value, as Kubernetes does', () => {
    // k8s.io/apimachinery labels.Parser.parseIdentifiersList: "(a,)" is {"a", ""}; parseValues: "()" is {""}.
    assert.equal(parseLabelSelector('env in (a,)')({ env: '' }), true);
    assert.equal(parseLabelSelector('env in ()')({ env: '' }), true);
    assert.equal(parseLabelSelector('env notin (a,)')({ env: '' }), false);
  });
});

describe('quantities against rational BigInt arithmetic', () => {
  const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

  // value = whole.fraction × 10^exponent × 2^binary; in nano-units, rounded away from zero.
  function referenceNanos(negative: boolean, whole: string, fraction: string, exponent: number, binary: number): bigint {
    let numerator = BigInt(`${whole}${fraction}` || '0') * 2n ** BigInt(binary) * 10n ** 9n;
    let denominator = 10n ** BigInt(fraction.length);
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
    const magnitude = (numerator + denominator - 1n) / denominator;
    return negative ? -magnitude : magnitude;
  }

  it('parses every spelling to the exact value in nano-units, rounding sub-nano precision up (seeded)', () => {
    const random = seededRandom(8302);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
    for (let run = 0; run < 1500; run++) {
      const negative = random() < 0.2;
      const whole = random() < 0.15 ? '' : digits(1 + Math.floor(random() * 4));
      const fraction = whole === '' || random() < 0.5 ? digits(1 + Math.floor(random() * 12)) : '';
      const form = Math.floor(random() * 3);
      let suffix: string;
      let exponent = 0;
      let binary = 0;
      if (form === 0) {
        suffix = Object.keys(DECIMAL)[Math.floor(random() * 10)];
        exponent = DECIMAL[suffix];
      } else if (form === 1) {
        suffix = Object.keys(BINARY)[Math.floor(random() * 6)];
        binary = BINARY[suffix];
      } else {
        exponent = Math.floor(random() * 41) - 20;
        suffix = `${random() < 0.5 ? 'e' : 'E'}${exponent < 0 ? '-' : random() < 0.5 ? '+' : ''}${Math.abs(exponent)}`;
      }
      const text = `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}${suffix}`;
      const expected = referenceNanos(negative, whole, fraction, exponent, binary);
      assert.equal(parseQuantity(text), expected, text);
      const printed = formatQuantity(expected);
      assert.equal(parseQuantity(printed), expected, `${text} prints ${printed}`);
    }
  });

  it('divides exactly when the sub-nano digits are zeros', () => {
    assert.equal(parseQuantity('0.0000000010'), 1n);
    assert.equal(parseQuantity('10e-10'), 1n);
    assert.equal(parseQuantity('1000e-12'), 1n);
    assert.equal(parseQuantity('-20e-10'), -2n);
    assert.equal(parseQuantity('.25'), 250_000_000n);
    assert.equal(parseQuantity('.125k'), 125_000_000_000n);
  });

  it('prints the binary form on a tie of lengths, and the largest suffix that divides', () => {
    // 98000Ki and 100352k are both 7 characters.
    assert.equal(formatQuantity(100_352_000n * 1_000_000_000n), '98000Ki');
    assert.equal(formatQuantity(-100_352_000n * 1_000_000_000n), '-98000Ki');
    for (const [power, suffix] of [[10, 'Ki'], [20, 'Mi'], [30, 'Gi'], [40, 'Ti'], [50, 'Pi'], [60, 'Ei']] as const) {
      assert.equal(formatQuantity(3n * 2n ** BigInt(power) * 1_000_000_000n), `3${suffix}`);
    }
  });
});

describe('JSON pointers and list keys', () => {
  it('never removes the root, even from an object with an "undefined" member', () => {
    const root: Record<string, unknown> = { undefined: 1, a: 2 };
    assert.equal(removeAt(root, []), false);
    assert.deepEqual(root, { undefined: 1, a: 2 });
  });

  it('takes only plain decimal digits as a list index, on the way and at the end', () => {
    const make = () => ({ items: Array.from({ length: 12 }, (_, i) => ({ n: i })) });
    for (const token of ['1e0', ' 1', '+1', '1 ', 'x1', '1x', '0x1', '-1', '']) {
      const root = make();
      assert.equal(removeAt(root, ['items', token, 'n']), false, `through ${JSON.stringify(token)}`);
      assert.equal(removeAt(root, ['items', token]), false, `at ${JSON.stringify(token)}`);
      assert.deepEqual(root, make(), JSON.stringify(token));
    }
    const root = make();
    assert.equal(removeAt(root, ['items', '10', 'n']), true);
    assert.deepEqual(root.items[10], {});
    assert.equal(removeAt(root, ['items', '11']), true);
    assert.equal(root.items.length, 11);
  });

  it('finds nothing through a string, a number or null on the way', () => {
    assert.equal(removeAt({ a: 'text' }, ['a', 'b', 'c']), false);
    assert.equal(removeAt({ a: 5 }, ['a', 'b', 'c']), false);
    assert.equal(removeAt({ a: null }, ['a', 'b', 'c']), false);
  });

  it('falls back to position for a list holding null, and keys numbers like strings', () => {
    assert.equal(keyedLists('containers', [[{ name: 'a' }, null]]), undefined);
    assert.equal(keyedLists('ports', [[null]]), undefined);
    assert.equal(keyedLists('volumeMounts', [[null]]), undefined);
    assert.equal(keyedLists('topologySpreadConstraints', [[null]]), undefined);
    assert.equal(keyedLists('rules', [[{ name: 'a' }, null]]), undefined);
    const item = { topologyKey: 'zone', whenUnsatisfiable: 7 };
    assert.equal(keyedLists('topologySpreadConstraints', [[item]])?.keyFn(item), 'topologyKey=zone,whenUnsatisfiable=7');
  });
});
