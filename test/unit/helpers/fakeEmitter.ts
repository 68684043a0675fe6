// vscode.EventEmitter's behaviour for tests that stand in for the `vscode` module. No side effects
// on import (unlike fakeVscode.ts, which installs its stand-in), so any fake can use it.

type Listener<T> = (value: T) => void;

export class FakeEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}
