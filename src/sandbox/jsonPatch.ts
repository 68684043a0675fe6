// RFC 6902 JSON patch (application/json-patch+json). kubectl uses it for `kubectl patch --type json`
// and to move client-side-apply ownership to server-side apply (it rewrites metadata.managedFields).

import { ApiError, badRequest } from './apiStatus';
import { deepClone, deepEqual, isRecord } from './kubeObject';

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function containerAt(document: unknown, tokens: string[], pointer: string): unknown {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return current;
}

function arrayIndex(list: unknown[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return list.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in "${pointer}"`);
  const index = Number(token);
  if (index > list.length || (!forInsert && index === list.length)) throw unprocessable(`array index out of bounds in "${pointer}"`);
  return index;
}

function read(document: unknown, pointer: string): unknown {
  return containerAt(document, parsePointer(pointer), pointer);
}

function remove(document: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('cannot remove the document root');
  const parent = containerAt(document, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false, pointer), 1)[0];
  if (isRecord(parent) && last in parent) {
    const value = parent[last];
    delete parent[last];
    return value;
  }
  throw unprocessable(`doc is missing path: "${pointer}": missing value`);
}

function add(document: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = containerAt(document, tokens.slice(0, -1), pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last, !replace, pointer);
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else if (isRecord(parent)) {
    if (replace && !(last in parent)) throw unprocessable(`doc is missing key: "${pointer}": missing value`);
    parent[last] = value;
  } else {
    throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return document;
}

export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('json patch must be a list of operations');
  let document = deepClone(target);
  for (const operation of operations) {
    if (!isRecord(operation) || typeof operation.op !== 'string' || typeof operation.path !== 'string') {
      throw badRequest('json patch operations need "op" and "path"');
    }
    const { op, path } = operation;
    const from = typeof operation.from === 'string' ? operation.from : undefined;
    switch (op) {
      case 'add':
        document = add(document, path, deepClone(operation.value), false);
        break;
      case 'replace':
        document = add(document, path, deepClone(operation.value), true);
        break;
      case 'remove':
        remove(document, path);
        break;
      case 'move': {
        if (from === undefined) throw badRequest('move needs "from"');
        const value = remove(document, from);
        document = add(document, path, value, false);
        break;
      }
      case 'copy': {
        if (from === undefined) throw badRequest('copy needs "from"');
        document = add(document, path, deepClone(read(document, from)), false);
        break;
      }
      case 'test':
        if (!deepEqual(read(document, path), operation.value)) throw unprocessable(`testing value ${path} failed: test failed`);
        break;
      default:
        throw badRequest(`unexpected json patch op "${op}"`);
    }
  }
  return document;
}
