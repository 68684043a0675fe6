// RFC 6901 JSON pointers: parsing (strict, for ignore rules users write), building, and removing
// the value a pointer names.

export class JsonPointerError extends Error {
  constructor(readonly pointer: string, reason: string) {
    super(`"${pointer}" is not a JSON pointer (RFC 6901): ${reason}`);
    this.name = 'JsonPointerError';
  }
}

/** Same as manifest.ts's escapePointerToken; repeated so the drift engine does not load the YAML parser. */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function buildPointer(tokens: ReadonlyArray<string | number>): string {
  let out = '';
  for (const token of tokens) out += `/${typeof token === 'number' ? token : escapeToken(token)}`;
  return out;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPointerError(pointer, 'it must start with "/"');
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new JsonPointerError(pointer, `"~" must be followed by 0 or 1 in "${token}"`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes the value at `tokens` (a list item is spliced out). Returns false when nothing was there. */
export function removeAt(root: unknown, tokens: ReadonlyArray<string | number>): boolean {
  if (tokens.length === 0) return false;
  let current: unknown = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    if (Array.isArray(current)) current = /^\d+$/.test(String(token)) ? current[Number(token)] : undefined;
    else if (isRecord(current)) current = current[String(token)];
    else return false;
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(current)) {
    if (!/^\d+$/.test(String(last))) return false;
    const index = Number(last);
    if (index >= current.length) return false;
    current.splice(index, 1);
    return true;
  }
  if (isRecord(current) && String(last) in current) {
    delete current[String(last)];
    return true;
  }
  return false;
}
