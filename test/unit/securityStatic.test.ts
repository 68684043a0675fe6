// Security rules that can be read off the source (ARCHITECTURE.md, "Security rules"), checked on
// the TypeScript syntax tree rather than with text patterns, so aliases, destructuring, namespace
// imports and `require` are seen too:
//   - no shell: nothing imports or calls child_process `exec`/`execSync`, no spawn option `shell`
//     other than `false`, no shell binary started with `-c`;
//   - tokens: no setting is named like a credential; no token-like value reaches a process's
//     argument list, a URL, a log line or a file; tokens are kept only through `context.secrets`
//     and `vscode.authentication`.
// Each detector is first run on small hostile snippets, so a detector that has gone blind fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

import { REPO_ROOT as root, sourceFiles } from './helpers/sourceFiles';


/** Everything that ships or runs as the product: the extension, the CLI, the webviews, the bin shim. */
function productFiles(): string[] {
  return [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'webview-ui')), ...sourceFiles(join(root, 'bin'))];
}

function parse(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, name.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function where(file: ts.SourceFile, node: ts.Node): string {
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${file.fileName}:${line + 1}`;
}

function stringValue(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** The name a call goes to: `spawn(...)` → spawn, `cp.spawn(...)` → spawn, `this.git.raw(...)` → raw. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// No shell

const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);
const SHELL_RUNNERS = new Set(['exec', 'execSync']);
const SHELL_BINARY = /^(?:.*[/\\])?(?:sh|bash|zsh|dash|ksh|fish|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)$/i;
const PROCESS_STARTERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork', 'runProcess']);

function isChildProcessModule(node: ts.Node | undefined): boolean {
  if (!node) return false;
  // require('child_process')
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') return CHILD_PROCESS.has(stringValue(node.arguments[0]) ?? '');
  // import('child_process') and await import('child_process')
  if (ts.isAwaitExpression(node)) return isChildProcessModule(node.expression);
  if (ts.isParenthesizedExpression(node)) return isChildProcessModule(node.expression);
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return CHILD_PROCESS.has(stringValue(node.arguments[0]) ?? '');
  return false;
}

/** Every way a file reaches a shell through Node: exec/execSync however imported, `shell:` options, `sh -c`. */
function shellOffences(file: ts.SourceFile): string[] {
  const offences: string[] = [];
  // Names bound to the child_process module itself (namespace, default, require).
  const moduleAliases = new Set<string>();
  walk(file, (node) => {
    if (ts.isImportDeclaration(node) && CHILD_PROCESS.has(stringValue(node.moduleSpecifier) ?? '')) {
      const clause = node.importClause;
      if (clause?.name) moduleAliases.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) moduleAliases.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          if (SHELL_RUNNERS.has(imported)) offences.push(`${where(file, element)}: imports child_process ${imported}`);
        }
      }
    }
    if (ts.isVariableDeclaration(node) && isChildProcessModule(node.initializer)) {
      if (ts.isIdentifier(node.name)) moduleAliases.add(node.name.text);
      if (ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) {
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : '';
          if (SHELL_RUNNERS.has(imported)) offences.push(`${where(file, element)}: destructures child_process ${imported}`);
        }
      }
    }
  });
  walk(file, (node) => {
    // cp.exec(...), require('child_process').execSync, (await import('node:child_process')).exec
    if (ts.isPropertyAccessExpression(node) && SHELL_RUNNERS.has(node.name.text)) {
      const target = node.expression;
      if ((ts.isIdentifier(target) && moduleAliases.has(target.text)) || isChildProcessModule(target)) offences.push(`${where(file, node)}: child_process ${node.name.text}`);
    }
    if (ts.isElementAccessExpression(node) && SHELL_RUNNERS.has(stringValue(node.argumentExpression) ?? '')) {
      offences.push(`${where(file, node)}: child_process[${stringValue(node.argumentExpression)}]`);
    }
    // { shell: true }, { shell: '/bin/sh' }, { shell: someFlag }, { shell } — only `shell: false` is harmless.
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'shell') {
      if (node.initializer.kind !== ts.SyntaxKind.FalseKeyword) offences.push(`${where(file, node)}: shell option ${node.initializer.getText(file)}`);
    }
    if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'shell') offences.push(`${where(file, node)}: shell option (shorthand)`);
    // spawn('sh', ['-c', ...]) and friends: a shell by another name.
    if (ts.isCallExpression(node) && PROCESS_STARTERS.has(calleeName(node) ?? '')) {
      const executable = stringValue(node.arguments[0]);
      if (executable !== undefined && SHELL_BINARY.test(executable)) offences.push(`${where(file, node)}: starts the shell ${executable}`);
    }
  });
  return offences;
}

test('the shell detector sees exec however it is reached', () => {
  const hostile: Record<string, string> = {
    'named import': "import { exec } from 'child_process'; exec('ls');",
    'aliased import': "import { execSync as run } from 'node:child_process'; run('ls');",
    'namespace import': "import * as cp from 'node:child_process'; cp.exec('ls');",
    'default import': "import cp from 'child_process'; cp.execSync('ls');",
    'require destructuring': "const { exec } = require('child_process');",
    'require destructuring, renamed': "const { execSync: x } = require('node:child_process');",
    'require alias': "const cp = require('child_process'); cp.exec('ls');",
    'require member': "require('child_process').exec('ls');",
    'dynamic import': "async function f() { (await import('node:child_process')).exec('ls'); }",
    'dynamic import destructuring': "async function f() { const { exec } = await import('child_process'); }",
    'element access': "import * as cp from 'child_process'; cp['exec']('ls');",
    'shell: true': "import { spawn } from 'child_process'; spawn('ls', [], { shell: true });",
    'shell: a path': "import { spawnSync } from 'child_process'; spawnSync('ls', [], { shell: '/bin/bash' });",
    'shell: a variable': "import { spawn } from 'child_process'; const useShell = true; spawn('ls', [], { shell: useShell });",
    'shell shorthand': "import { spawn } from 'child_process'; const shell = true; spawn('ls', [], { shell });",
    'sh -c': "import { spawn } from 'child_process'; spawn('/bin/sh', ['-c', 'ls']);",
    'bash through execFile': "import { execFile } from 'child_process'; execFile('bash', ['-c', 'ls']);",
    'cmd.exe': "import { spawn } from 'child_process'; spawn('cmd.exe', ['/c', 'dir']);",
  };
  for (const [what, text] of Object.entries(hostile)) {
    assert.ok(shellOffences(parse(`${what}.ts`, text)).length > 0, `not detected: ${what}`);
  }
  const harmless = [
    "import { spawn } from 'node:child_process'; spawn('git', ['status'], { shell: false, stdio: 'pipe' });",
    "const pattern = /a(b)/; pattern.exec('ab');",
    "import { execFile } from 'node:child_process'; execFile('kubectl', ['version']);",
  ];
  for (const text of harmless) assert.deepEqual(shellOffences(parse('harmless.ts', text)), [], text);
});

test('no shell anywhere in the product: no exec/execSync (any import form), no shell option, no sh -c', () => {
  const offences: string[] = [];
  const files = productFiles();
  assert.ok(files.length > 100, `expected the whole source tree, found ${files.length} files`);
  for (const path of files) offences.push(...shellOffences(parse(relative(root, path), readFileSync(path, 'utf8'))));
  assert.deepEqual(offences, []);
});

test('every process the product starts is started with an argument array', () => {
  // The first argument names the executable, the second (when present) is an array literal or a
  // variable — never a string that a shell would split.
  const offences: string[] = [];
  for (const path of productFiles()) {
    const file = parse(relative(root, path), readFileSync(path, 'utf8'));
    walk(file, (node) => {
      if (!ts.isCallExpression(node) || !['spawn', 'spawnSync', 'execFile', 'execFileSync'].includes(calleeName(node) ?? '')) return;
      const args = node.arguments[1];
      if (args && (ts.isStringLiteral(args) || ts.isTemplateExpression(args) || ts.isNoSubstitutionTemplateLiteral(args) || ts.isBinaryExpression(args))) {
        offences.push(`${where(file, node)}: arguments given as a string`);
      }
    });
  }
  assert.deepEqual(offences, []);
});

// ---------------------------------------------------------------------------------------------
// Tokens

/** Names that hold a credential: `token`, `accessToken`, `password`, `clientSecret`, `credentials`… */
const CREDENTIAL_NAME = /^(?:token|password|passwd|secret|credentials?|pat|apiKey|bearer)$|[a-z0-9_](?:Token|Password|Passwd|Secret|Credentials?|ApiKey)$|_(?:TOKEN|PASSWORD|SECRET)$/;

function credentialNames(node: ts.Node): string[] {
  const found: string[] = [];
  walk(node, (inner) => {
    if (ts.isIdentifier(inner) && CREDENTIAL_NAME.test(inner.text)) {
      // A property being declared or a key in an object literal is a name, not a value read.
      const parent = inner.parent;
      if (ts.isPropertyAssignment(parent) && parent.name === inner) return;
      found.push(inner.text);
    }
  });
  return found;
}

/** Argument positions that become a process's argv, per function that starts a process. */
const ARGV_POSITIONS = new Map<string, number[]>(Object.entries({
  spawn: [0, 1],
  spawnSync: [0, 1],
  execFile: [0, 1],
  execFileSync: [0, 1],
  fork: [0, 1],
  runProcess: [0, 1],
  runGit: [1],
  runNetworkGit: [1],
  network: [1],
  raw: [0, 1, 2, 3],
}));

const LOG_METHODS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'log', 'append', 'appendLine', 'out', 'err', 'write', 'showErrorMessage', 'showWarningMessage', 'showInformationMessage']);
const STORE_METHODS = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'setState', 'postMessage']);

/** Credential-looking values in argv, URLs, logs, files, settings and mementos. */
function tokenOffences(file: ts.SourceFile, seen: { argv: number; logs: number; stores: number } = { argv: 0, logs: 0, stores: 0 }): string[] {
  const offences: string[] = [];
  // Variables whose initializer is an array literal: `const args = [...]; spawn(x, args)`.
  const arrays = new Map<string, ts.Expression>();
  walk(file, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isArrayLiteralExpression(node.initializer)) arrays.set(node.name.text, node.initializer);
  });
  walk(file, (node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node) ?? '';
      for (const position of ARGV_POSITIONS.get(name) ?? []) {
        const arg = node.arguments[position];
        if (!arg) continue;
        seen.argv += 1;
        const expanded = ts.isIdentifier(arg) ? (arrays.get(arg.text) ?? arg) : arg;
        for (const hit of credentialNames(expanded)) offences.push(`${where(file, node)}: ${hit} in the arguments of ${name}()`);
        // args.push(token) on the array that is passed
        if (ts.isIdentifier(arg)) {
          walk(file, (inner) => {
            if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && ['push', 'unshift', 'concat'].includes(inner.expression.name.text) && ts.isIdentifier(inner.expression.expression) && inner.expression.expression.text === arg.text) {
              for (const hit of inner.arguments.flatMap((a) => credentialNames(a))) offences.push(`${where(file, inner)}: ${hit} pushed into the arguments of ${name}()`);
            }
          });
        }
      }
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const receiver = callee.expression.getText(file);
        const isLog = LOG_METHODS.has(method) && /log|channel|console|output|io\b|stdout|stderr|window/i.test(receiver);
        const isStore = STORE_METHODS.has(method) || (method === 'update' && /State|getConfiguration|config/i.test(receiver));
        if (isLog) seen.logs += 1;
        if (isStore) seen.stores += 1;
        if (isLog || isStore) {
          const args = isStore && (method === 'writeFile' || method === 'writeFileSync' || method === 'appendFile' || method === 'appendFileSync' || method === 'update') ? node.arguments.slice(1, 2) : [...node.arguments];
          for (const hit of args.flatMap((a) => credentialNames(a))) offences.push(`${where(file, node)}: ${hit} reaches ${receiver}.${method}()`);
        }
      } else if (ts.isIdentifier(callee) && STORE_METHODS.has(callee.text)) {
        for (const hit of node.arguments.slice(1, 2).flatMap((a) => credentialNames(a))) offences.push(`${where(file, node)}: ${hit} written by ${callee.text}()`);
      }
    }
    // `https://user:${token}@host` — a credential inside a URL.
    if (ts.isTemplateExpression(node)) {
      const texts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
      node.templateSpans.forEach((span, i) => {
        const before = texts.slice(0, i + 1).join('');
        if (/[a-z][a-z0-9+.-]*:\/\/[^/\s]*$/i.test(before)) {
          for (const hit of credentialNames(span.expression)) offences.push(`${where(file, span)}: ${hit} inside a URL`);
        }
      });
    }
  });
  return offences;
}

test('the token detector sees a credential in argv, a URL, a log line, a file and a setting', () => {
  const hostile: Record<string, string> = {
    'argv literal': "spawn('git', ['push', token]);",
    'argv via variable': "const args = ['-c', `http.extraHeader=Authorization: Bearer ${accessToken}`]; spawn('git', args);",
    'argv push': "const args = ['push']; args.push(credentials.password); runGit(dir, args);",
    'runGit member': "runGit(dir, ['clone', session.accessToken]);",
    'simple-git raw': "git.raw(['push', `https://x:${token}@github.com/a/b`]);",
    'url with token': "const url = `https://oauth2:${gitlabToken}@gitlab.com/a.git`;",
    'log line': "this.log.info(`using ${token}`);",
    'console': 'console.log(apiToken);',
    'cli output': 'io.out(`token=${process.env.GITHUB_TOKEN}`);',
    'file': "writeFileSync('/tmp/x', token);",
    'setting': "vscode.workspace.getConfiguration('gitops').update('auth', token);",
    'memento': 'this.context.globalState.update(key, accessToken);',
    'webview': 'panel.webview.postMessage({ type: "auth", value: token });',
  };
  for (const [what, text] of Object.entries(hostile)) assert.ok(tokenOffences(parse(`${what}.ts`, text)).length > 0, `not detected: ${what}`);
  const harmless = [
    "spawn('git', ['push', '--no-verify', remote, `HEAD:refs/heads/${branch}`], { env: { GIT_ASKPASS: script, TOKEN_VAR: token } });",
    "this.log.info(`stored a ${kind} token for ${host}`);",
    "const tokens = parsePointer(p); this.log.debug(`pointer ${tokens.join('/')}`);",
    'await this.secrets.store(key, token);',
  ];
  for (const text of harmless) assert.deepEqual(tokenOffences(parse('harmless.ts', text)), [], text);
});

test('no token-like value reaches an argument list, a URL, a log line, a file, a setting or a webview message', () => {
  const offences: string[] = [];
  const seen = { argv: 0, logs: 0, stores: 0 };
  for (const path of productFiles()) offences.push(...tokenOffences(parse(relative(root, path), readFileSync(path, 'utf8')), seen));
  assert.deepEqual(offences, []);
  // The scan saw the real call sites (git, renderers, the logger, the CLI output, file writes).
  assert.ok(seen.argv >= 20 && seen.logs >= 40 && seen.stores >= 5, JSON.stringify(seen));
});

test('no setting is named like a credential: tokens never live in settings.json', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties?: Record<string, { description?: string; markdownDescription?: string }> } | Array<{ properties?: Record<string, unknown> }> };
  };
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const names = sections.flatMap((s) => Object.keys(s.properties ?? {}));
  assert.ok(names.length > 0, 'package.json declares settings');
  const credential = /token|passw|secret|credential|api[-_.]?key|passphrase|bearer|auth(?!or)|\bpat\b|private[-_.]?key/i;
  assert.deepEqual(names.filter((n) => credential.test(n)), []);
  // No setting is read under such a name either (getConfiguration(...).get('token')).
  const reads: string[] = [];
  for (const path of productFiles()) {
    const file = parse(relative(root, path), readFileSync(path, 'utf8'));
    walk(file, (node) => {
      if (ts.isCallExpression(node) && calleeName(node) === 'get' && /getConfiguration/.test(node.expression.getText(file))) {
        const key = stringValue(node.arguments[0]);
        if (key !== undefined && credential.test(key)) reads.push(`${where(file, node)}: reads setting ${key}`);
      }
    });
  }
  assert.deepEqual(reads, []);
});

test('tokens are kept only in SecretStorage and VS Code authentication sessions, in one place', () => {
  const secretsStore: string[] = [];
  const authSessions: string[] = [];
  for (const path of productFiles()) {
    const file = parse(relative(root, path), readFileSync(path, 'utf8'));
    walk(file, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const text = node.expression.getText(file);
      if (/\bsecrets\.(store|get|delete)$/.test(text)) secretsStore.push(file.fileName);
      if (/\bauthentication\.getSession$/.test(text)) authSessions.push(file.fileName);
    });
  }
  // Whatever stores or reads a token goes through HostTokens; nothing else touches credentials.
  assert.deepEqual([...new Set(secretsStore)], [join('src', 'ui', 'promotion', 'hostTokens.ts')]);
  assert.deepEqual([...new Set(authSessions)], [join('src', 'ui', 'promotion', 'hostTokens.ts')]);
  // The SecretStorage key names the host only: a token or URL never becomes a key.
  const settings = readFileSync(join(root, 'src', 'ui', 'promotion', 'hostSettings.ts'), 'utf8');
  assert.match(settings, /return `gitops\.hostToken\/\$\{host\}`;/);
});
