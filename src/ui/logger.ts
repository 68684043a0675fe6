// One LogOutputChannel for the extension; each line carries its component. Messages pass through
// `maskSecrets` so a token in a URL or an error never reaches the log.
import * as vscode from 'vscode';
import { maskSecrets } from '../core/secrets';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug(message: string): void;
  child(component: string): Logger;
  show(): void;
}

export function createLogger(channel: vscode.LogOutputChannel, component = 'extension'): Logger {
  const line = (message: string): string => `[${component}] ${maskSecrets(message)}`;
  return {
    info: (m) => channel.info(line(m)),
    warn: (m) => channel.warn(line(m)),
    error: (m, e) => channel.error(line(e === undefined ? m : `${m}: ${e instanceof Error ? e.message : String(e)}`)),
    debug: (m) => channel.debug(line(m)),
    child: (name) => createLogger(channel, name),
    show: () => channel.show(true),
  };
}
