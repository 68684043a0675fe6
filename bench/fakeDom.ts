// A minimal DOM stand-in, enough for the report webview's own code (webview-ui/dom.ts `h`, the
// header, toolbar and list views) to run in Node: elements with attributes, children, text and any
// property a view sets. No layout, no style, no custom-element upgrade: what a bench row using it
// times is our JavaScript building and replacing nodes, not the browser painting them.
// There is no browser in the bench (no jsdom or happy-dom either), so this is the closest honest
// figure; rows that use it say so.

class FakeNode {
  parentNode: FakeElement | null = null;
  textValue = '';
  remove(): void {
    const parent = this.parentNode;
    if (!parent) return;
    parent.childNodes.splice(parent.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }
}

class FakeText extends FakeNode {
  constructor(text: string) {
    super();
    this.textValue = text;
  }
}

class FakeClassList {
  constructor(private readonly el: FakeElement) {}
  private list(): string[] {
    return (this.el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
  }
  contains(name: string): boolean {
    return this.list().includes(name);
  }
  add(name: string): void {
    if (!this.contains(name)) this.el.setAttribute('class', [...this.list(), name].join(' '));
  }
  remove(name: string): void {
    this.el.setAttribute('class', this.list().filter((c) => c !== name).join(' '));
  }
  toggle(name: string, force?: boolean): boolean {
    const on = force ?? !this.contains(name);
    if (on) this.add(name);
    else this.remove(name);
    return on;
  }
}

export class FakeElement extends FakeNode {
  readonly childNodes: FakeNode[] = [];
  private readonly attrs = new Map<string, string>();
  readonly classList = new FakeClassList(this);
  readonly dataset: Record<string, string> = {};
  hidden = false;
  value = '';
  constructor(readonly tagName: string) {
    super();
  }
  get children(): FakeElement[] {
    return this.childNodes.filter((n): n is FakeElement => n instanceof FakeElement);
  }
  get textContent(): string {
    return this.childNodes.map((n) => (n instanceof FakeElement ? n.textContent : n.textValue)).join('');
  }
  set textContent(text: string) {
    this.replaceChildren(new FakeText(text));
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
    if (name.startsWith('data-')) this.dataset[name.slice(5).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attrs.has(name);
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
  toggleAttribute(name: string, force?: boolean): boolean {
    const on = force ?? !this.attrs.has(name);
    if (on) this.attrs.set(name, '');
    else this.attrs.delete(name);
    return on;
  }
  append(...nodes: Array<FakeNode | string>): void {
    for (const node of nodes) {
      const child = typeof node === 'string' ? new FakeText(node) : node;
      child.remove();
      child.parentNode = this;
      this.childNodes.push(child);
    }
  }
  replaceChildren(...nodes: Array<FakeNode | string>): void {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes.length = 0;
    this.append(...nodes);
  }
  replaceWith(node: FakeNode): void {
    const parent = this.parentNode;
    if (!parent) return;
    node.remove();
    parent.childNodes[parent.childNodes.indexOf(this)] = node;
    node.parentNode = parent;
    this.parentNode = null;
  }
  closest(): null {
    return null;
  }
  querySelector(): null {
    return null;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  focus(): void {}
}

/** Nodes below `root` (elements and text), counted: what a render left in the tree. */
export function countNodes(root: FakeElement): number {
  let n = 0;
  for (const child of root.childNodes) n += 1 + (child instanceof FakeElement ? countNodes(child) : 0);
  return n;
}

/** Installs `document`, `window` and `CSS` on globalThis; returns a function that removes them. */
export function installFakeDom(): () => void {
  const body = new FakeElement('body');
  const fakeDocument = {
    body,
    activeElement: null,
    createElement: (tag: string) => new FakeElement(tag.toUpperCase()),
    createTextNode: (text: string) => new FakeText(text),
    getElementById: () => null,
    querySelector: () => null,
    addEventListener: () => undefined,
  };
  const fakeWindow = { scrollTo: () => undefined, addEventListener: () => undefined, scrollY: 0 };
  const fakeCss = { escape: (s: string) => s.replace(/["\\]/g, '\\$&') };
  const g = globalThis as Record<string, unknown>;
  const saved = { document: g.document, window: g.window, CSS: g.CSS };
  g.document = fakeDocument;
  g.window = fakeWindow;
  g.CSS = fakeCss;
  return () => {
    g.document = saved.document;
    g.window = saved.window;
    g.CSS = saved.CSS;
  };
}
