import type { KubeObject, ResourceType } from '../types.ts';
import { StatusError } from '../errors.ts';
import { INTERNAL_PACKAGE } from '../engine/decode.ts';
import type { AcceptChoice } from './negotiation.ts';

/** Go's `%T` of what the registry returned: the internal type of a built-in, unstructured for CRs. */
function goType(rt: ResourceType, list: boolean): string {
  if (rt.origin === 'custom') return list ? '*unstructured.UnstructuredList' : '*unstructured.Unstructured';
  return `*${INTERNAL_PACKAGE[rt.group] ?? rt.group}.${list ? rt.listKind : rt.kind}`;
}

function notAcceptable(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

function partial(o: KubeObject, apiVersion: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata ?? {} };
}

/**
 * NEG-4: the `as=PartialObjectMetadata(List)` views (handlers/response.go asPartialObjectMetadata
 * and asPartialObjectMetadataList): only the ObjectMeta of each object, under meta.k8s.io; a
 * list asked for as one object, or one object as a list, is 406 naming what it is. `body` is a
 * get or list answer; anything else is returned as it is.
 */
export function transformPartial(
  rt: ResourceType,
  body: KubeObject,
  choice: AcceptChoice,
  isList: boolean,
): KubeObject {
  const kind = choice.convert?.kind;
  if (kind !== 'PartialObjectMetadata' && kind !== 'PartialObjectMetadataList') return body;
  const apiVersion = `meta.k8s.io/${choice.convert!.version}`;
  if (kind === 'PartialObjectMetadata') {
    if (isList)
      throw notAcceptable(
        `you requested PartialObjectMetadata, but the requested object is a list (${goType(rt, true)})`,
      );
    return partial(body, apiVersion);
  }
  if (!isList)
    throw notAcceptable(
      `you requested PartialObjectMetadataList, but the requested object is not a list (${goType(rt, false)})`,
    );
  const lm = (body.metadata ?? {}) as { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion,
    metadata: {
      ...(lm.resourceVersion ? { resourceVersion: lm.resourceVersion } : {}),
      ...(lm.continue ? { continue: lm.continue } : {}),
      ...(lm.remainingItemCount !== undefined ? { remainingItemCount: lm.remainingItemCount } : {}),
    },
    items: ((body.items as KubeObject[] | undefined) ?? []).map((i) => partial(i, apiVersion)),
  };
}
