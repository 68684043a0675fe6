// The part of jq that ignore rules use in practice (Argo CD `jqPathExpressions`): paths
// (`.spec.replicas`, `.a.b[]?.c`, `.data["x.y"]`), pipes, and `select(<path> == <literal>)`
// joined with and/or. Anything else is refused with an error that says what is supported,
// rather than silently ignoring nothing.
import { stableStringify } from './hash';

export class JqPathError extends Error {
  constructor(readonly expression: string, detail: string) {
    super(
      `unsupported jq expression "${expression}": ${detail}. Supported: paths (.a.b, .a[0], .a[], .a[]?, ."key", .["key"]), ` +
        'pipes (|), and select(<path> == <literal>) or != joined with and/or',
    );
    this.name = 'JqPathError';
  }
}

type Step =
  | { type: 'field'; name: string }
  | { type: 'index'; index: number }
  | { type: 'iterate' }
  | { type: 'select'; condition: Condition };

type Operand = { type: 'path'; steps: Step[] } | { type: 'literal'; value: unknown };
type Condition =
  | { type: 'compare'; op: '==' | '!='; left: Operand; right: Operand }
  | { type: 'and' | 'or'; left: Condition; right: Condition };

interface Token {
  kind: 'dot' | 'ident' | 'string' | 'number' | '[' | ']' | '?' | '|' | '(' | ')' | '==' | '!=' | 'end';
  text: string;
  value?: unknown;
  column: number;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '.') {
      if (expression[i + 1] === '.') throw new JqPathError(expression, `recursive descent ".." at column ${column} is not supported`);
      tokens.push({ kind: 'dot', text: c, column });
      i++;
    } else if ('[]?|()'.includes(c)) {
      tokens.push({ kind: c as Token['kind'], text: c, column });
      i++;
    } else if ((c === '=' || c === '!') && expression[i + 1] === '=') {
      tokens.push({ kind: c === '=' ? '==' : '!=', text: `${c}=`, column });
      i += 2;
    } else if (c === '"') {
      let j = i + 1;
      while (j < expression.length && expression[j] !== '"') j += expression[j] === '\\' ? 2 : 1;
      if (j >= expression.length) throw new JqPathError(expression, `unterminated string at column ${column}`);
      const text = expression.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new JqPathError(expression, `bad string ${text} at column ${column}`);
      }
      tokens.push({ kind: 'string', text, value, column });
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(expression.slice(i));
      if (!match) throw new JqPathError(expression, `"${c}" at column ${column} is not supported`);
      tokens.push({ kind: 'number', text: match[0], value: Number(match[0]), column });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(expression.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: match[0], column });
      i += match[0].length;
    } else {
      throw new JqPathError(expression, `"${c}" at column ${column} is not supported`);
    }
  }
  tokens.push({ kind: 'end', text: 'end of expression', column: expression.length + 1 });
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly expression: string, private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  private fail(token: Token, what = `"${token.text}"`): never {
    throw new JqPathError(this.expression, `${what} at column ${token.column} is not supported here`);
  }

  private expect(kind: Token['kind']): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(token);
    return token;
  }

  program(): Step[] {
    const steps: Step[] = [...this.term()];
    while (this.peek().kind === '|') {
      this.next();
      steps.push(...this.term());
    }
    if (this.peek().kind !== 'end') this.fail(this.peek());
    return steps;
  }

  private term(): Step[] {
    const token = this.peek();
    if (token.kind === 'ident' && token.text === 'select') {
      this.next();
      this.expect('(');
      const condition = this.condition();
      this.expect(')');
      return [{ type: 'select', condition }];
    }
    if (token.kind !== 'dot') this.fail(token, token.kind === 'ident' ? `function "${token.text}"` : undefined);
    return this.path();
  }

  /** A path starting at `.`: `.a`, `."a"`, `.[0]`, `.a[]?.b`, or `.` alone. */
  private path(): Step[] {
    const steps: Step[] = [];
    this.expect('dot');
    let token = this.peek();
    if (token.kind === 'ident' || token.kind === 'string') steps.push(this.fieldName());
    else if (token.kind === '[') steps.push(this.bracket());
    for (;;) {
      token = this.peek();
      if (token.kind === '?') {
        // Optional access: errors become empty results, which is what this evaluator does anyway.
        this.next();
      } else if (token.kind === '[') {
        steps.push(this.bracket());
      } else if (token.kind === 'dot') {
        this.next();
        const after = this.peek();
        if (after.kind === 'ident' || after.kind === 'string') steps.push(this.fieldName());
        else if (after.kind === '[') steps.push(this.bracket());
        else this.fail(after);
      } else {
        return steps;
      }
    }
  }

  private fieldName(): Step {
    const token = this.next();
    return { type: 'field', name: token.kind === 'string' ? String(token.value) : token.text };
  }

  private bracket(): Step {
    this.expect('[');
    const token = this.next();
    if (token.kind === ']') return { type: 'iterate' };
    this.expect(']');
    if (token.kind === 'number' && Number.isInteger(token.value)) return { type: 'index', index: token.value as number };
    if (token.kind === 'string') return { type: 'field', name: String(token.value) };
    return this.fail(token, `index ${token.text}`);
  }

  private condition(): Condition {
    let left = this.conjunction();
    while (this.peek().kind === 'ident' && this.peek().text === 'or') {
      this.next();
      left = { type: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.comparison();
    while (this.peek().kind === 'ident' && this.peek().text === 'and') {
      this.next();
      left = { type: 'and', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): Condition {
    if (this.peek().kind === '(') {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    const op = this.next();
    if (op.kind !== '==' && op.kind !== '!=') this.fail(op, `"${op.text}" (only == and != compare)`);
    return { type: 'compare', op: op.kind, left, right: this.operand() };
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'dot') return { type: 'path', steps: this.path() };
    this.next();
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value };
    if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false' || token.text === 'null')) {
      return { type: 'literal', value: token.text === 'null' ? null : token.text === 'true' };
    }
    return this.fail(token);
  }
}

export interface JqPath {
  expression: string;
  steps: readonly Step[];
}

/** Parses an expression; throws JqPathError for anything outside the supported subset. */
export function parseJqPath(expression: string): JqPath {
  const steps = new Parser(expression, tokenize(expression)).program();
  return { expression, steps };
}

interface Located {
  path: Array<string | number>;
  value: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function run(steps: readonly Step[], start: Located[]): Located[] {
  let current = start;
  for (const step of steps) {
    const next: Located[] = [];
    for (const { path, value } of current) {
      if (step.type === 'field') {
        if (isRecord(value) && step.name in value) next.push({ path: [...path, step.name], value: value[step.name] });
      } else if (step.type === 'index') {
        if (Array.isArray(value)) {
          const index = step.index < 0 ? value.length + step.index : step.index;
          if (index >= 0 && index < value.length) next.push({ path: [...path, index], value: value[index] });
        }
      } else if (step.type === 'iterate') {
        if (Array.isArray(value)) value.forEach((item, index) => next.push({ path: [...path, index], value: item }));
        else if (isRecord(value)) for (const key of Object.keys(value)) next.push({ path: [...path, key], value: value[key] });
      } else if (holds(step.condition, value)) {
        next.push({ path, value });
      }
    }
    current = next;
  }
  return current;
}

function operandValue(operand: Operand, value: unknown): unknown {
  if (operand.type === 'literal') return operand.value;
  const found = run(operand.steps, [{ path: [], value }]);
  // jq yields null for a missing field.
  return found.length ? found[0].value : null;
}

function holds(condition: Condition, value: unknown): boolean {
  if (condition.type !== 'compare') {
    return condition.type === 'and'
      ? holds(condition.left, value) && holds(condition.right, value)
      : holds(condition.left, value) || holds(condition.right, value);
  }
  const equal = stableStringify(operandValue(condition.left, value)) === stableStringify(operandValue(condition.right, value));
  return condition.op === '==' ? equal : !equal;
}

/** The concrete paths (keys and list indices) an expression selects in `root`. */
export function jqPathsIn(path: JqPath, root: unknown): Array<Array<string | number>> {
  return run(path.steps, [{ path: [], value: root }]).map((found) => found.path);
}
