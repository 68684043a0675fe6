// Request bodies in the Kubernetes protobuf encoding. kubectl's typed clients send protobuf
// (`kubectl create namespace|configmap|secret|serviceaccount`) and client-go does not fall back
// to JSON when a server refuses it, so the sandbox decodes the few simple kinds those commands
// create. Other kinds are refused with 415 (use a manifest with `kubectl create -f` or apply).
// Wire format: "k8s\0" + runtime.Unknown{typeMeta{apiVersion=1, kind=2}=1, raw=2}, raw being
// the object's message; field numbers below come from k8s.io/api generated.proto.

import { ApiError } from './apiStatus';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

interface WireField {
  field: number;
  varint?: number;
  bytes?: Buffer;
}

function readVarint(buffer: Buffer, start: number): [number, number] {
  let value = 0;
  let multiplier = 1;
  let offset = start;
  for (;;) {
    if (offset >= buffer.length) throw malformed();
    const byte = buffer[offset++];
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return [value, offset];
    multiplier *= 128;
  }
}

function malformed(): ApiError {
  return new ApiError(400, 'BadRequest', 'the protobuf request body is malformed');
}

function fields(buffer: Buffer): WireField[] {
  const out: WireField[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) {
      const [value, next] = readVarint(buffer, afterKey);
      out.push({ field, varint: value });
      offset = next;
    } else if (wireType === 2) {
      const [length, start] = readVarint(buffer, afterKey);
      if (start + length > buffer.length) throw malformed();
      out.push({ field, bytes: buffer.subarray(start, start + length) });
      offset = start + length;
    } else if (wireType === 1) offset = afterKey + 8;
    else if (wireType === 5) offset = afterKey + 4;
    else throw malformed();
  }
  return out;
}

const text = (field: WireField): string => field.bytes?.toString('utf8') ?? '';

function mapEntry(field: WireField, asBase64: boolean): [string, string] {
  let key = '';
  let value = '';
  for (const part of fields(field.bytes ?? Buffer.alloc(0))) {
    if (part.field === 1) key = text(part);
    if (part.field === 2) value = asBase64 ? (part.bytes ?? Buffer.alloc(0)).toString('base64') : text(part);
  }
  return [key, value];
}

/** ObjectMeta; Go writes every non-pointer field, so empty values are dropped as JSON omits them. */
function objectMeta(buffer: Buffer): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const finalizers: string[] = [];
  const names: Record<number, string> = { 1: 'name', 2: 'generateName', 3: 'namespace', 5: 'uid', 6: 'resourceVersion' };
  for (const field of fields(buffer)) {
    const name = names[field.field];
    if (name !== undefined && text(field) !== '') meta[name] = text(field);
    else if (field.field === 7 && field.varint) meta.generation = field.varint;
    else if (field.field === 11) labels[mapEntry(field, false)[0]] = mapEntry(field, false)[1];
    else if (field.field === 12) annotations[mapEntry(field, false)[0]] = mapEntry(field, false)[1];
    else if (field.field === 14) finalizers.push(text(field));
  }
  if (Object.keys(labels).length > 0) meta.labels = labels;
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  if (finalizers.length > 0) meta.finalizers = finalizers;
  return meta;
}

function stringMap(entries: WireField[], asBase64: boolean): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((entry) => mapEntry(entry, asBase64)));
}

type Decoder = (parts: WireField[]) => Record<string, unknown>;

const metadataOf = (parts: WireField[]): Record<string, unknown> => objectMeta(parts.find((part) => part.field === 1)?.bytes ?? Buffer.alloc(0));
const withField = (parts: WireField[], field: number): WireField[] => parts.filter((part) => part.field === field);

const decoders: Record<string, Decoder> = {
  'v1/Namespace': (parts) => {
    const spec = withField(parts, 2)[0]?.bytes;
    const finalizers = spec ? withField(fields(spec), 1).map(text) : [];
    return { metadata: metadataOf(parts), ...(finalizers.length > 0 ? { spec: { finalizers } } : {}) };
  },
  'v1/ConfigMap': (parts) => {
    const out: Record<string, unknown> = { metadata: metadataOf(parts) };
    const data = stringMap(withField(parts, 2), false);
    const binaryData = stringMap(withField(parts, 3), true);
    if (data) out.data = data;
    if (binaryData) out.binaryData = binaryData;
    if (withField(parts, 4)[0]?.varint) out.immutable = true;
    return out;
  },
  'v1/Secret': (parts) => {
    const out: Record<string, unknown> = { metadata: metadataOf(parts) };
    const data = stringMap(withField(parts, 2), true);
    const stringData = stringMap(withField(parts, 4), false);
    const type = withField(parts, 3)[0];
    if (data) out.data = data;
    if (stringData) out.stringData = stringData;
    if (type && text(type) !== '') out.type = text(type);
    if (withField(parts, 5)[0]?.varint) out.immutable = true;
    return out;
  },
  'v1/ServiceAccount': (parts) => {
    const out: Record<string, unknown> = { metadata: metadataOf(parts) };
    const automount = withField(parts, 4)[0];
    if (automount?.varint !== undefined) out.automountServiceAccountToken = automount.varint === 1;
    return out;
  },
};

export function isProtobuf(contentType: string): boolean {
  return contentType.split(';')[0].trim().toLowerCase() === protobufContentType;
}

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw malformed();
  const envelope = fields(body.subarray(4));
  const typeMeta = fields(withField(envelope, 1)[0]?.bytes ?? Buffer.alloc(0));
  const apiVersion = text(withField(typeMeta, 1)[0] ?? { field: 1 });
  const kind = text(withField(typeMeta, 2)[0] ?? { field: 2 });
  const decode = decoders[`${apiVersion}/${kind}`];
  if (!decode) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the sandbox cluster cannot decode ${apiVersion} ${kind} from protobuf; send JSON or YAML (for example kubectl create -f or kubectl apply -f)`,
    );
  }
  return { apiVersion, kind, ...decode(fields(withField(envelope, 2)[0]?.bytes ?? Buffer.alloc(0))) };
}
