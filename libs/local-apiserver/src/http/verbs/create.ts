import { methodNotAllowed } from '../../errors.ts';
import { readTypedBody } from '../request-body.ts';
import { writeOptions } from '../query-options.ts';
import { writeJson } from '../responses.ts';
import type { ResourceCall } from '../resource-call.ts';

/** POST to a collection. */
export async function serveCreate(call: ResourceCall): Promise<void> {
  const { deps, req, res, rr, q, warnings } = call;
  const { engine } = deps;
  const { rt, namespace, name } = rr;
  if (name) throw methodNotAllowed();
  const body = await readTypedBody(req, rt);
  const opts = writeOptions(q, warnings, 'CreateOptions');
  const created = await engine.create(rt, namespace, body, opts);
  return writeJson(res, 201, created, 'application/json', warnings);
}
