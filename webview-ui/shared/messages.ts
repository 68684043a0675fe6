// What both webviews share on the wire: the page's `ready`, the host's progress and error notices,
// and one way to validate a union of messages told apart by `type`. Free of `vscode`, Node and DOM
// APIs: the host imports it too.
import { hasExactKeys, isPlainRecord, type PlainRecord } from './guards';

/** The page's first message, sent again whenever VS Code rebuilds it (a hidden panel is torn down). */
export type ReadyMessage = { type: 'ready' };

export type HostStatus =
  /** Long work running (`text`), or finished (`text` empty). */
  | { type: 'busy'; text: string }
  | { type: 'error'; message: string };

/** One check per message type; it sees a plain object whose `type` is that string. */
export type TypeChecks = Readonly<Record<string, (message: PlainRecord) => boolean>>;

/**
 * A validator for messages told apart by `type`. Unknown types fail, and so do inherited names
 * (`constructor`, `toString`, `__proto__`): the checks are looked up in a Map, never on an object.
 */
export function messageValidator<T extends { type: string }>(checks: TypeChecks): (value: unknown) => value is T {
  const byType = new Map(Object.entries(checks));
  return (value: unknown): value is T => {
    if (!isPlainRecord(value) || typeof value.type !== 'string') return false;
    const check = byType.get(value.type);
    return check !== undefined && check(value);
  };
}

/** A message that is its type and nothing else (`ready`, `refresh`…). */
export function isBare(message: PlainRecord): boolean {
  return hasExactKeys(message, ['type']);
}

/** The checks for `busy` and `error`, whose text `isText` bounds. */
export function statusChecks(isText: (value: unknown) => boolean): TypeChecks {
  return {
    busy: (m) => hasExactKeys(m, ['type', 'text']) && isText(m.text),
    error: (m) => hasExactKeys(m, ['type', 'message']) && isText(m.message),
  };
}
