import type { KubeObject, ResourceType } from '../../types.ts';
import { badRequest, expired, resourceVersionTooLarge } from '../../errors.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { ListQuery } from '../../engine/request-options.ts';
import { textOf, type Obj } from '../../engine/object-values.ts';
import { apiVersionOf } from '../../engine/present.ts';
import { convertCollection } from '../../engine/convert.ts';
import { parseRv, validateListOptions } from '../../engine/list-options.ts';
import { HistoryExpiredError } from '../../store/object-store.ts';
import { snapshotRange } from '../../store/snapshot-range.ts';
import { JsonSyntaxError, parseJsonText } from '../../typed/json-text.ts';
import { matches, selectors } from '../../engine/selection.ts';

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${start}\u0000` })).toString('base64url');
}

/** storage.DecodeContinue, with its errors: base64url (raw), then the JSON token. */
function decodeContinue(token: string): { rv: number; start: string } {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid${why}`);
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0 || token.length % 4 === 1)
    throw invalid(`: illegal base64 data at input byte ${bad >= 0 ? bad : token.length - 1}`);
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    // Bytes, not UTF-8: Go's scanner reports the first bad byte (`invalid character '\u0081' ...`).
    parsed = parseJsonText(Buffer.from(token, 'base64url').toString('latin1')).value as typeof parsed;
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw invalid(`: ${e.message}`);
  }
  if (parsed === null || typeof parsed !== 'object')
    throw invalid(': json: cannot unmarshal into Go value of type storage.continueToken');
  if (parsed.v !== 'meta.k8s.io/v1')
    throw invalid(`: server does not recognize this encoded version ${textOf(parsed.v)}`);
  if (typeof parsed.rv !== 'number' || parsed.rv === 0)
    throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || !parsed.start)
    throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  return { rv: parsed.rv, start: parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start };
}

export async function listObjects(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  q: ListQuery,
): Promise<KubeObject> {
  validateListOptions(q, false);
  const sel = selectors(rt, q);
  const current = ctx.store.currentRv;
  let snapshotRv = current;
  let start = '';
  const requestedRv = parseRv(q.resourceVersion);
  const continueExpired = () =>
    expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  if (q.continue) {
    if (q.resourceVersion && q.resourceVersion !== '0')
      throw badRequest('specifying resource version is not allowed when using continue');
    const tok = decodeContinue(q.continue);
    if (tok.rv < ctx.store.oldestRetainedRv) throw continueExpired();
    snapshotRv = tok.rv;
    start = tok.start;
  } else if (requestedRv !== undefined && requestedRv !== 0) {
    const exact =
      q.resourceVersionMatch === 'Exact' ||
      (q.limit !== undefined && q.limit > 0 && q.resourceVersionMatch !== 'NotOlderThan');
    if (exact && requestedRv < ctx.store.oldestRetainedRv)
      throw expired('The resourceVersion for the provided list is too old.');
    // An exact list reads the state at that revision (etcd's read at a revision).
    if (exact && requestedRv <= current) snapshotRv = requestedRv;
    if (requestedRv > current) throw resourceVersionTooLarge(requestedRv, current);
  }
  // Converted first: the rest of the list is synchronous, so nothing changes under it.
  await convertCollection(ctx, rt, () =>
    ctx.store.list(rt.storageKey, rt.namespaced ? namespace || undefined : undefined),
  );
  // Only the page's items are presented (copied and defaulted); the rest are counted: without
  // selectors by position, with selectors only until one more match proves there is a next page.
  let range;
  try {
    range = snapshotRange(
      ctx.store,
      rt.storageKey,
      rt.namespaced ? namespace || undefined : undefined,
      start || undefined,
      snapshotRv,
    );
  } catch (e) {
    if (e instanceof HistoryExpiredError)
      throw q.continue ? continueExpired() : expired('The resourceVersion for the provided list is too old.');
    throw e;
  }
  const items: KubeObject[] = [];
  let nextKey: string | undefined;
  let remaining = 0;
  const limit = q.limit && q.limit > 0 ? q.limit : undefined;
  const selecting = sel.labels.length > 0 || sel.fields.length > 0;
  // Field selectors on custom resources see the served form (selectable fields may be defaulted).
  const matchPresented = rt.origin === 'custom' && sel.fields.length > 0;
  for (let i = range.start; i < range.end; i++) {
    const key = range.keys[i];
    const o = range.objects.get(key)!;
    if (limit !== undefined && items.length >= limit) {
      if (!selecting) {
        remaining = range.end - i;
        break;
      }
      if (matches(rt, sel, matchPresented ? ctx.present(rt, o) : o)) {
        remaining = 1;
        break;
      }
      continue;
    }
    let presented: KubeObject | undefined;
    if (selecting) {
      if (matchPresented) presented = ctx.present(rt, o);
      if (!matches(rt, sel, presented ?? o)) continue;
    }
    items.push(presented ?? ctx.present(rt, o));
    nextKey = key;
  }
  const metadata: Obj = { resourceVersion: String(snapshotRv) };
  if (limit !== undefined && remaining > 0 && nextKey !== undefined) {
    metadata.continue = encodeContinue(snapshotRv, nextKey);
    if (sel.labels.length === 0 && sel.fields.length === 0) metadata.remainingItemCount = remaining;
  }
  // A custom resource list is unstructured: its ListMeta keeps an empty continue ("continue": "").
  else if (rt.origin === 'custom') metadata.continue = '';
  // OBJ-4: built-in list items carry no apiVersion/kind.
  const outItems = rt.origin === 'custom' ? items : items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  return { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata, items: outItems };
}
