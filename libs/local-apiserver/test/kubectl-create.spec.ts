import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, installWidgets } from './helpers.ts';
import { hasKubectl, KubectlSession } from './kubectl-session.ts';

/**
 * kubectl's imperative generators send `application/vnd.kubernetes.protobuf` bodies (and list
 * JSON after protobuf in Accept). Expected objects match what kube-apiserver v1.36 answers to the
 * same commands (`--dry-run=server -o json`), except server-allocated values.
 */
const PB = 'application/vnd.kubernetes.protobuf';

describe('protobuf request bodies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const post = (path: string, body: Uint8Array | string, headers: Record<string, string> = {}) =>
    t.client.request({
      method: 'POST',
      path,
      headers: {
        'content-type': PB,
        accept: `${PB}, application/json`,
        ...headers,
      },
      body: typeof body === 'string' ? body : Buffer.from(body),
    });

  it('NEG: data without the k8s\\0 prefix is a 400 quoting the body in hex', async () => {
    const r = await post('/api/v1/namespaces/default/configmaps', 'xyz');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (78797a)',
    );
  });

  it('NEG: a truncated envelope is unexpected EOF', async () => {
    const r = await post(
      '/api/v1/namespaces/default/configmaps',
      Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x61, 0x62, 0x63]),
    );
    expect(r.body.message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b387300616263)',
    );
  });

  it('NEG: custom resources take only JSON and YAML (415)', async () => {
    await installWidgets(t);
    const r = await post('/apis/example.com/v1/namespaces/default/widgets', Uint8Array.from([0x6b, 0x38, 0x73, 0x00]));
    expect(r.status).toBe(415);
    expect(r.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  });

  it('NEG: Accept with protobuf only is 406 (responses are JSON only)', async () => {
    const r = await t.get('/api/v1/namespaces', { accept: PB });
    expect(r.status).toBe(406);
    expect(r.body.message).toBe(
      'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });
});

describe.skipIf(!hasKubectl())('kubectl create (protobuf bodies) against local-apiserver', () => {
  let t: TestServer;
  let session: KubectlSession;
  const kubectl = (...args: string[]) => session.kubectl(...args);
  const created = async (...args: string[]) => JSON.parse(await kubectl('create', '-o', 'json', ...args));

  beforeAll(async () => {
    t = await TestServer.start();
    session = KubectlSession.open(t.server, 'kubeloop-kubectl-create-');
  });
  afterAll(async () => {
    await t?.stop();
    session?.close();
  });

  it('kubectl create namespace', async () => {
    const ns = await created('namespace', 'pb');
    expect(ns).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'pb', labels: { 'kubernetes.io/metadata.name': 'pb' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('kubectl create configmap --from-literal (an empty value stays)', async () => {
    const cm = await created('configmap', 'cfg', '-n', 'pb', '--from-literal=a=b', '--from-literal=empty=');
    expect(cm.data).toEqual({ a: 'b', empty: '' });
    expect(cm.metadata).toMatchObject({ name: 'cfg', namespace: 'pb' });
  });

  it('kubectl create secret generic --from-literal', async () => {
    const s = await created(
      'secret',
      'generic',
      'creds',
      '-n',
      'pb',
      '--from-literal=user=admin',
      '--from-literal=pass=s3cr3t',
    );
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({
      user: Buffer.from('admin').toString('base64'),
      pass: Buffer.from('s3cr3t').toString('base64'),
    });
  });

  it('kubectl create deployment --image --port --replicas=0 (defaults as the real server)', async () => {
    const d = await created('deployment', 'web', '-n', 'pb', '--image=nginx:1.27', '--port=80', '--replicas=0');
    expect(d.spec).toEqual({
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
  });

  it('kubectl create deployment with a command after --', async () => {
    const d = await created('deployment', 'job', '-n', 'pb', '--image=busybox', '--', 'sh', '-c', 'sleep 1');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      name: 'busybox',
      image: 'busybox',
      command: ['sh', '-c', 'sleep 1'],
      imagePullPolicy: 'Always',
    });
  });

  it('kubectl create service clusterip --tcp', async () => {
    const s = await created('service', 'clusterip', 'api', '-n', 'pb', '--tcp=5678:8080');
    expect(s.spec).toMatchObject({
      ports: [{ name: '5678-8080', protocol: 'TCP', port: 5678, targetPort: 8080 }],
      selector: { app: 'api' },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(s.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('kubectl create serviceaccount', async () => {
    const sa = await created('serviceaccount', 'bot', '-n', 'pb');
    expect(sa).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'pb' } });
  });

  it('kubectl create role / clusterrole / rolebinding / clusterrolebinding', async () => {
    expect(
      (await created('role', 'reader', '-n', 'pb', '--verb=get,list', '--resource=pods,configmaps')).rules,
    ).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'configmaps'] }]);
    expect((await created('clusterrole', 'metrics', '--verb=get', '--non-resource-url=/metrics')).rules).toEqual([
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
    ]);
    const rb = await created('rolebinding', 'bot-reader', '-n', 'pb', '--role=reader', '--serviceaccount=pb:bot');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'bot', namespace: 'pb' }]);
    const crb = await created('clusterrolebinding', 'bob-metrics', '--clusterrole=metrics', '--user=bob');
    expect(crb.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }]);
  });

  it('validation errors come back as for JSON bodies', async () => {
    await expect(kubectl('create', 'configmap', 'Bad_Name', '-n', 'pb', '--from-literal=a=b')).rejects.toThrow(
      /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/,
    );
  });
});
