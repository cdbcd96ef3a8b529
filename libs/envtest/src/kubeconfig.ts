import { stringify } from 'yaml';

/** A one-context kubeconfig with the CA embedded and a bearer token: what kubectl and child processes read. */
export function tokenKubeconfig(o: { server: string; caPem: string; token: string; name?: string }): string {
  const name = o.name ?? 'envtest';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: o.server, 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') } },
    ],
    users: [{ name: `${name}-admin`, user: { token: o.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
  });
}
