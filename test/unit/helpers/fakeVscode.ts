// A stand-in for the `vscode` module, enough to drive the webview panels' host side in plain Node:
// panels and webviews that record what is posted and let a test fire messages from the page.
// Importing this module serves the stand-in to every later `require('vscode')` of this process (one
// process per test file), so import the modules under test afterwards, with `await import(…)`.
import Module from 'node:module';
import type { Logger } from '../../../src/ui/logger';
import type { HostToWebview as ReportMessage } from '../../../webview-ui/protocol';
import type { HostToWebview as PreviewMessage } from '../../../webview-ui/promotion/protocol';

export { FakeEmitter } from './fakeEmitter';
import { FakeEmitter } from './fakeEmitter';

export interface FakeUri {
  path: string;
  toString(): string;
}

export const uri = (path: string): FakeUri => ({ path, toString: () => `file://${path}` });

/** `webview.cspSource` of every fake webview. */
export const CSP_SOURCE = 'https://fake.vscode-cdn.net';

/** Anything a panel posts: a copy made as postMessage would (JSON), so later mutations do not show. */
export type PostedMessage = ReportMessage | PreviewMessage;

export class FakeWebview {
  options: unknown;
  html = '';
  readonly cspSource = CSP_SOURCE;
  readonly posted: PostedMessage[] = [];
  /** Fire a value here to play a message from the page. */
  readonly received = new FakeEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(u: FakeUri) {
    return { toString: () => `${CSP_SOURCE}${u.path}` };
  }
  postMessage(message: PostedMessage): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(message)) as PostedMessage);
    return Promise.resolve(true);
  }
}

export class FakePanel {
  title: string;
  iconPath: unknown;
  readonly webview = new FakeWebview();
  readonly revealed: unknown[] = [];
  disposed = false;
  private readonly disposeEmitter = new FakeEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  constructor(
    readonly viewType: string,
    title: string,
    readonly createOptions?: Record<string, unknown>,
  ) {
    this.title = title;
  }
  reveal(column?: unknown): void {
    this.revealed.push(column);
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

/** Every panel `createWebviewPanel` made, oldest first. */
export const created: FakePanel[] = [];

/** The panel `createWebviewPanel` made last. */
export function lastPanel(): FakePanel {
  const panel = created.at(-1);
  if (!panel) throw new Error('no webview panel was created');
  return panel;
}

const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...parts: string[]) => uri([base.path, ...parts].join('/')) },
  EventEmitter: FakeEmitter,
  ViewColumn: { Active: -1, One: 1 },
  window: {
    createWebviewPanel: (viewType: string, title: string, _column: unknown, options: Record<string, unknown>) => {
      const panel = new FakePanel(viewType, title, options);
      created.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: () => ({ dispose: () => undefined }),
  },
};

const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : originalLoad(request, ...rest));

/** A logger that keeps `level message` lines in `lines`. */
export function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
    child: () => log,
    show: () => undefined,
  };
  return { log, lines };
}
