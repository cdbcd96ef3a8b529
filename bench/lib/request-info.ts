/**
 * What an API request does, in the API server's own vocabulary (verb + resource[/subresource]),
 * parsed from method and URL the way kube-apiserver's RequestInfoFactory does. Counting by these
 * keys lets a benchmark compare "writes issued" with a minimal set without caring which HTTP
 * method (PUT or PATCH) a client chose for a status write.
 */
export interface RequestInfo {
  verb: string;
  /** `numbers`, `numbers/status`, `events`; for non-resource URLs the path (`/version`). */
  resource: string;
  namespace?: string;
  name?: string;
  group?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const WATCH_PARAM = /[?&]watch=(true|1)(&|$)/;
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function isWriteVerb(verb: string): boolean {
  return WRITE_VERBS.has(verb);
}

export function requestInfo(method: string, rawPath: string): RequestInfo {
  // Runs inside the measured process for every request: plain string work, no URL objects.
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  const watch = q >= 0 && WATCH_PARAM.test(rawPath.slice(q));
  const parts = path.split('/').filter(Boolean);
  if (path.includes('%')) for (let i = 0; i < parts.length; i++) parts[i] = decodeURIComponent(parts[i]!);
  let rest: string[];
  let group: string | undefined;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else {
    return { verb: method.toLowerCase(), resource: path || '/' };
  }
  if (rest.length === 0) return { verb: method.toLowerCase(), resource: path };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    // /namespaces/<ns>/<resource>… names a namespaced resource; /namespaces/<ns>[/status] the namespace itself.
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest as [string, string | undefined, string | undefined];
  let verb: string;
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  return { verb, resource: subresource ? `${resource}/${subresource}` : resource, namespace, name, group };
}
