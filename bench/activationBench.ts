// Times activate() of the built extension bundle with a stand-in `vscode` module: every API call
// answers instantly, so what is measured is our own activation work (module load + registrations).
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type AnyFn = (...args: unknown[]) => unknown;

/** A value that is callable, constructible and has every property: enough to stand in for vscode. */
function universalStub(): unknown {
  const target = function stub(): void {} as unknown as AnyFn;
  const proxy: unknown = new Proxy(target, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.iterator) return function* empty() {};
      return proxy;
    },
    set: () => true, // assignments (item.name = …) are accepted and forgotten
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

// Every value the `vscode` module exports, read from @types/vscode: esbuild's interop copies own
// keys, so the stand-in must name them all.
function vscodeNames(): string[] {
  const text = readFileSync(join(__dirname, '..', 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...text.matchAll(/^\texport (?:class|enum|namespace|function|const|let) (\w+)/gm)].map((m) => m[1]);
}

function vscodeStub(): Record<string, unknown> {
  const stub = universalStub();
  return Object.fromEntries(vscodeNames().map((name) => [name, stub]));
}

interface Loader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

export async function measureActivation(runs = 15): Promise<{ activationMs: number[]; loadAndActivateMs: number[] }> {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const stub = universalStub();
  const vscode = vscodeStub();
  loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request === 'vscode') return vscode;
    return original.call(this, request, parent, isMain);
  };
  const bundle = join(__dirname, '..', 'dist', 'extension.js');
  const activationMs: number[] = [];
  const loadAndActivateMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      delete require.cache[require.resolve(bundle)];
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(bundle) as { activate(context: unknown): { activationMs: number } };
      // Every member activate() may touch: secrets and mementos are read while services are built.
      const context = {
        subscriptions: [] as unknown[],
        globalStorageUri: stub,
        extensionUri: stub,
        storageUri: stub,
        secrets: stub,
        globalState: stub,
        workspaceState: stub,
        extension: stub,
        environmentVariableCollection: stub,
        logUri: stub,
        extensionMode: 1,
      };
      const api = extension.activate(context);
      loadAndActivateMs.push(performance.now() - started);
      activationMs.push(api.activationMs);
    }
  } finally {
    loader._load = original;
  }
  return { activationMs, loadAndActivateMs };
}
