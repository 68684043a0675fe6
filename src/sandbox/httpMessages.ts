// Reading request bodies and writing JSON / Status responses.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, statusBody } from './apiStatus';
import { decodeProtobufObject, isProtobuf } from './protobufBodies';

const maxBodyBytes = 16 * 1024 * 1024;

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Parses a JSON, YAML (apply patches, yaml content types) or protobuf (kubectl's typed clients) body. */
export function parseBody(body: Buffer, contentType: string): unknown {
  if (isProtobuf(contentType)) return decodeProtobufObject(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  const yaml = /yaml/i.test(contentType);
  try {
    if (!yaml) return JSON.parse(text) as unknown;
    // JSON is YAML, and it is what clients send as apply patches: JSON.parse reads it ~60× faster
    // (repeated keys then read as in a JSON body: the last wins).
    if (/^\s*\{/.test(text)) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // YAML-only syntax in a body that starts like JSON: the YAML parser below reads it.
      }
    }
    return parseYaml(text) as unknown;
  } catch (error) {
    throw badRequest(`the request body could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function sendJsonText(response: ServerResponse, code: number, json: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json), ...headers });
  response.end(json);
}

export function sendJson(response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(response, code, JSON.stringify(body), headers);
}

export function sendError(response: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  const extra = { ...headers };
  if (error.details?.retryAfterSeconds !== undefined) extra['Retry-After'] = String(error.details.retryAfterSeconds);
  sendJson(response, error.code, statusBody(error), extra);
}

/** Warning headers as the API server sends them (`299 - "message"`). */
export function warningHeaders(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((warning) => `299 - ${JSON.stringify(warning)}`).join(', ') };
}
