// Finds the image references a promotion in image mode compares: container `image:` fields in
// Kubernetes objects, kustomize `images:` entries (newName/newTag/digest), and Helm values
// `image:` maps (repository/tag/digest) or strings. Each reference gets a key that names the same
// place in every environment (by object, container and image name, never by list index), so the
// references of two environments pair up even when their files are ordered differently.
import { LineCounter, isMap, isScalar, isSeq, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import { parseYamlDocuments } from '../yamlSource';
import { escapePointerToken } from '../manifest';
import type { ImageField, ImageRefKind } from './promotionTypes';

export interface ImageRef {
  /** Pairs references across environments: `container:Deployment/web:/spec/template/spec/containers/app`. */
  key: string;
  kind: ImageRefKind;
  field: ImageField;
  /** JSON pointer of the value inside its document. */
  pointer: string;
  docIndex: number;
  /** The value as written, unquoted (`1.10` stays `1.10`, not the number 1.1). */
  value: string;
  /** Image name for display. */
  name: string;
  /** 1-based line of the value. */
  line: number;
}

/** A mapping that holds image fields; fields absent on one side are added or removed there. */
export interface ImageHolder {
  key: string;
  kind: ImageRefKind;
  /** JSON pointer of the mapping. */
  pointer: string;
  docIndex: number;
  name: string;
  /** 1-based line where the mapping starts. */
  line: number;
  fields: Partial<Record<ImageField, ImageRef>>;
  /** Fields this kind of holder can carry. */
  allowed: readonly ImageField[];
}

export interface ImageScan {
  /** Single references (container `image:` and Helm `image: repo:tag` strings). */
  refs: ImageRef[];
  /** Kustomize entries and Helm image maps. */
  holders: ImageHolder[];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const KUSTOMIZE_FIELDS: readonly ImageField[] = ['newName', 'newTag', 'digest'];
const HELM_FIELDS: readonly ImageField[] = ['repository', 'tag', 'digest'];

/** `registry/name:tag@digest` → `registry/name` (a `:` after the last `/` starts the tag). */
export function imageName(reference: string): string {
  const at = reference.indexOf('@');
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The value of a scalar as written: quoted scalars by their value, plain ones by their source text. */
export function scalarText(text: string, node: Scalar): string {
  if (node.type === 'PLAIN' && node.range) return text.slice(node.range[0], node.range[1]).trim();
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

function pairValue(map: YAMLMap, key: string): YamlNode | null {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as YamlNode | null) ?? null;
  }
  return null;
}

function stringScalar(node: YamlNode | null): Scalar | null {
  return isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object' ? node : null;
}

function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.length ? `/${tokens.map((t) => escapePointerToken(String(t))).join('/')}` : '';
}

/** Scans one YAML file. Never throws: unparsable documents are skipped (the plan shows the file diff instead). */
export function scanImages(text: string, file: string): ImageScan {
  const refs: ImageRef[] = [];
  const holders: ImageHolder[] = [];
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseYamlDocuments(text, { lineCounter: lines });
  } catch {
    return { refs, holders };
  }
  if (!Array.isArray(docs)) return { refs, holders };
  const baseName = file.slice(file.lastIndexOf('/') + 1);
  const lineOf = (node: YamlNode): number => (node.range ? lines.linePos(node.range[0]).line : 0);
  const ref = (docIndex: number, kind: ImageRefKind, field: ImageField, key: string, tokens: (string | number)[], node: Scalar, name: string): ImageRef => ({
    key,
    kind,
    field,
    pointer: pointerOf(tokens),
    docIndex,
    value: scalarText(text, node),
    name,
    line: lineOf(node),
  });

  docs.forEach((doc, docIndex) => {
    if (doc.errors.length) return;
    const root = doc.contents as YamlNode | null;
    if (!isMap(root)) return;
    const kindNode = stringScalar(pairValue(root, 'kind'));
    const apiVersion = stringScalar(pairValue(root, 'apiVersion'));
    const kind = kindNode ? String(kindNode.value) : null;
    const isKustomization = /^kustomization\.ya?ml$|^Kustomization$/.test(baseName) || (kind === 'Kustomization' && apiVersion !== null && String(apiVersion.value).startsWith('kustomize.config.k8s.io'));
    if (isKustomization) {
      const images = pairValue(root, 'images');
      if (!isSeq(images)) return;
      images.items.forEach((item, index) => {
        if (!isMap(item)) return;
        const nameNode = stringScalar(pairValue(item, 'name'));
        if (!nameNode) return;
        const name = String(nameNode.value);
        const holder: ImageHolder = { key: `kustomize:${name}`, kind: 'kustomize', pointer: pointerOf(['images', index]), docIndex, name, line: lineOf(item), fields: {}, allowed: KUSTOMIZE_FIELDS };
        for (const field of KUSTOMIZE_FIELDS) {
          const node = stringScalar(pairValue(item, field));
          if (node) holder.fields[field] = ref(docIndex, 'kustomize', field, `${holder.key}:${field}`, ['images', index, field], node, name);
        }
        holders.push(holder);
      });
      return;
    }
    if (kind !== null && apiVersion !== null) {
      const scanObject = (object: YAMLMap, objectKey: string, tokens: (string | number)[]): void => {
        walkContainers(object, tokens, (containerTokens, keyPath, containerName, imageNode) => {
          const value = scalarText(text, imageNode);
          refs.push(ref(docIndex, 'container', 'image', `container:${objectKey}:${keyPath}/${containerName}`, [...containerTokens, 'image'], imageNode, imageName(value)));
        });
      };
      const keyOf = (object: YAMLMap, fallback: string): string => {
        const metadata = pairValue(object, 'metadata');
        const objectName = isMap(metadata) ? stringScalar(pairValue(metadata, 'name')) : null;
        const objectKind = stringScalar(pairValue(object, 'kind'));
        return `${objectKind ? String(objectKind.value) : '?'}/${objectName ? String(objectName.value) : fallback}`;
      };
      const items = pairValue(root, 'items');
      // A List (kind: List, DeploymentList…) holds objects of its own: each is keyed by its kind and
      // name, so two items with a container of the same name are told apart.
      if (kind.endsWith('List') && isSeq(items)) {
        items.items.forEach((item, index) => {
          if (isMap(item)) scanObject(item, `List:${keyOf(item, `#${docIndex}.${index}`)}`, ['items', index]);
        });
        return;
      }
      scanObject(root, keyOf(root, `#${docIndex}`), []);
      return;
    }
    // Not a Kubernetes object: read it as Helm values.
    walkHelmValues(root, [], (tokens, node) => {
      if (isMap(node)) {
        const repository = stringScalar(pairValue(node, 'repository'));
        const name = repository ? scalarText(text, repository) : pointerOf(tokens);
        const holder: ImageHolder = { key: `helm:${pointerOf(tokens)}`, kind: 'helm', pointer: pointerOf(tokens), docIndex, name, line: lineOf(node), fields: {}, allowed: HELM_FIELDS };
        for (const field of HELM_FIELDS) {
          const scalar = stringScalar(pairValue(node, field));
          if (scalar) holder.fields[field] = ref(docIndex, 'helm', field, `${holder.key}:${field}`, [...tokens, field], scalar, name);
        }
        holders.push(holder);
      } else {
        const scalar = node as Scalar;
        const value = scalarText(text, scalar);
        refs.push(ref(docIndex, 'helm', 'image', `helm:${pointerOf(tokens)}`, tokens, scalar, imageName(value)));
      }
    });
  });
  return { refs, holders };
}

type ContainerVisitor = (containerTokens: (string | number)[], keyPath: string, containerName: string, image: Scalar) => void;

/** Every container list anywhere in an object (Pod, Deployment, CronJob's job template, custom resources). */
function walkContainers(node: YamlNode | null, tokens: (string | number)[], visit: ContainerVisitor, depth = 0): void {
  if (depth > 64) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value as YamlNode | null;
      if (CONTAINER_LISTS.has(key) && isSeq(value)) {
        const keyPath = `${tokens.filter((t) => typeof t === 'string').join('/')}/${key}`;
        value.items.forEach((item, index) => {
          if (!isMap(item)) return;
          const name = stringScalar(pairValue(item, 'name'));
          const image = stringScalar(pairValue(item, 'image'));
          if (image) visit([...tokens, key, index], keyPath, name ? String(name.value) : `#${index}`, image);
        });
        continue;
      }
      walkContainers(value, [...tokens, key], visit, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walkContainers(item as YamlNode, [...tokens, index], visit, depth + 1));
  }
}

/** `image:` keys in values files: a mapping with repository/tag/digest, or a `repo:tag` string. */
function walkHelmValues(node: YamlNode | null, tokens: (string | number)[], visit: (tokens: (string | number)[], node: YAMLMap | Scalar) => void, depth = 0): void {
  if (depth > 64) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value as YamlNode | null;
      if (key === 'image') {
        if (isMap(value) && HELM_FIELDS.some((field) => stringScalar(pairValue(value, field)))) {
          visit([...tokens, key], value);
          continue;
        }
        const scalar = stringScalar(value);
        if (scalar && typeof scalar.value === 'string' && scalar.value !== '') {
          visit([...tokens, key], scalar);
          continue;
        }
      }
      walkHelmValues(value, [...tokens, key], visit, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walkHelmValues(item as YamlNode, [...tokens, index], visit, depth + 1));
  }
}
