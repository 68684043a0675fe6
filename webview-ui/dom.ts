// The one way the webview builds DOM: elements with attributes and text children. Text always goes
// through text nodes (never innerHTML), so resource names and values cannot inject markup, and no
// `style` attribute or inline handler is ever written (the CSP would block them anyway).

export type Child = Node | string | false | null | undefined;
/** Attribute values: a string sets it, `true` sets it empty, `false`/`undefined` leave it out. */
export type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
