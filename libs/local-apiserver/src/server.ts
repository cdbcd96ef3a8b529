import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Socket } from 'node:net';
import type { AdmissionModule, InProcessController, KubeObject } from './types.ts';
import { ObjectStore } from './store/object-store.ts';
import { Registry } from './registry/registry.ts';
import { ApiEngine } from './engine/api-engine.ts';
import { nowSeconds } from './engine/object-values.ts';
import { createRequestHandler } from './http/request-handler.ts';
import type { HandlerModules } from './http/handler-deps.ts';
import { startCrdController } from './controllers/crd-controller.ts';
import { startNamespaceController } from './controllers/namespace-controller.ts';
import { startGarbageCollector } from './controllers/garbage-collector.ts';
import { crdSchemaModule } from './crd-schema/index.ts';
import { openApiModule } from './openapi/index.ts';
import { tableModule } from './table/index.ts';
import { admissionModule } from './admission/index.ts';
import { conversionModule, type ConversionModule } from './conversion/conversion.ts';
import { deploymentSimulationStarter as defaultDeploymentSimulation } from './controllers/deployment-simulation.ts';
import { startJobSimulation, type JobSimulationOptions } from './controllers/job-simulation.ts';
import { randomUUID } from 'node:crypto';
import { createCA, createCert } from '@kubeloop/certs';

export interface LocalApiServerOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with a generated CA (exposed as caPem). Default false. */
  https?: boolean;
  /** Deployments get a ReplicaSet and ready status (default true). */
  simulateDeployments?: boolean;
  /**
   * Jobs start at once as kube-controller-manager starts them (default true); with
   * `{ completeAfterSeconds }` they also complete that long after starting. `false` = no simulation.
   */
  simulateJobs?: boolean | JobSimulationOptions;
  /** Events kept for watch resume before 410 Expired (default 10 000). */
  watchHistory?: number;
  logger?: (line: object) => void;
  /** Admission webhook caller; by default the lib's own (when present). */
  admission?: AdmissionModule;
  /**
   * A bearer token every request but /healthz, /livez, /readyz and /version must then carry;
   * it is written only into the kubeconfig (mode 0600). Not required by default yet: kubectl
   * (client-go) sends credentials only over TLS, and the server is plain HTTP by default.
   */
  token?: string;
  /**
   * Limits for a request still arriving: its headers (default 32 s, as kube-apiserver's
   * ReadHeaderTimeout) and its whole body (default 60 s, kube-apiserver's request timeout).
   * Watches are not affected: their request is complete once its headers are in.
   */
  requestTimeouts?: { headersMs?: number; requestMs?: number };
  /** CRD conversion webhook caller (createConversion({ resolveService }) for Service references). */
  conversion?: ConversionModule;
}

export interface LocalApiServer {
  readonly url: string;
  readonly port: number;
  /** The bearer token clients need (in the kubeconfig), when the server was given one. */
  readonly token?: string;
  readonly caPem?: string;
  kubeconfig(opts?: { context?: string; namespace?: string }): string;
  writeKubeconfig(path: string): void;
  /** Closes every connection (watches are cut mid-stream); the data is kept. */
  stop(): Promise<void>;
  /** Listens again on the same port with the same data. */
  start(): Promise<void>;
  /** Drops the watch history: every older RV now gets 410 Expired. */
  forceCompaction(): void;
  setDeploymentSimulation(on: boolean): void;
  /** Turns the Job simulation off (`false`) or (re)starts it with these options. */
  setJobSimulation(opts: false | JobSimulationOptions): void;
  /** Resolves when the in-process controllers (CRD, namespace, GC) have nothing left to do. */
  controllersIdle(): Promise<void>;
}

/** Hook for the Deployment simulation controller, set by the module that implements it. */
export type DeploymentSimulationStarter = (engine: ApiEngine) => InProcessController;
let deploymentSimulationStarter: DeploymentSimulationStarter | undefined = defaultDeploymentSimulation;
export function registerDeploymentSimulation(starter: DeploymentSimulationStarter): void {
  deploymentSimulationStarter = starter;
}

function bootstrap(engine: ApiEngine): void {
  const nsType = engine.registry.find('', 'v1', 'namespaces')!;
  const now = nowSeconds();
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: randomUUID(), creationTimestamp: now, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    engine.store.create(nsType.storageKey, obj);
  }
  engine.store.create('/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      uid: randomUUID(),
      creationTimestamp: now,
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });
}

function yamlQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Starts an in-process Kubernetes API server for tests and local development. Clients
 * (client-node, kubectl) talk to it over HTTP(S) exactly as to kube-apiserver; see
 * docs/apiserver.md for the rules it follows and README.md for its deviations.
 */
export async function startApiServer(opts: LocalApiServerOptions = {}): Promise<LocalApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger;
  const token = opts.token;
  const store = new ObjectStore(opts.watchHistory ?? 10_000);
  store.onListenerError = (e) =>
    logger?.({ level: 'error', msg: 'store listener failed', err: String((e as Error)?.stack ?? e) });
  const registry = new Registry(crdSchemaModule);
  const engine = new ApiEngine(store, registry);
  engine.crdSchema = crdSchemaModule;
  engine.admission = opts.admission ?? admissionModule;
  engine.conversion = opts.conversion ?? conversionModule;
  bootstrap(engine);

  const onError = (e: unknown) =>
    logger?.({ level: 'error', msg: 'controller error', err: String((e as Error)?.stack ?? e) });
  const controllers: (InProcessController & { idle?(): Promise<void> })[] = [
    startCrdController(engine, onError),
    startNamespaceController(engine, onError),
    startGarbageCollector(engine, onError),
  ];
  let deploymentSim: InProcessController | undefined;
  const setDeploymentSimulation = (on: boolean) => {
    if (on && !deploymentSim && deploymentSimulationStarter) deploymentSim = deploymentSimulationStarter(engine);
    if (!on && deploymentSim) {
      deploymentSim.stop();
      deploymentSim = undefined;
    }
  };
  setDeploymentSimulation(opts.simulateDeployments ?? true);
  let jobSim: InProcessController | undefined;
  const setJobSimulation = (o: false | JobSimulationOptions) => {
    jobSim?.stop();
    jobSim = o === false ? undefined : startJobSimulation(engine.controllerApi(), o, onError);
  };
  setJobSimulation(opts.simulateJobs === false ? false : opts.simulateJobs === true ? {} : (opts.simulateJobs ?? {}));

  let caPem: string | undefined;
  let tls: { cert: string; key: string } | undefined;
  if (opts.https) {
    const ca = createCA({ commonName: 'kubeloop-local-apiserver-ca' });
    tls = createCert(ca, {
      commonName: 'kubeloop-local-apiserver',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      server: true,
    });
    caPem = ca.cert;
  }

  const watches = new Set<() => void>();
  const sockets = new Set<Socket>();
  let port = opts.port ?? 0;
  const modules: HandlerModules = { openapi: openApiModule, table: tableModule };
  const handler = createRequestHandler({
    engine,
    modules,
    serverAddress: () => `${host}:${port}`,
    ...(logger ? { logger } : {}),
    watches,
    guard: { ...(token !== undefined ? { token } : {}), host, port: () => port },
  });
  let server: Server | undefined;

  // How often Node looks for requests past their time limits: a tenth of the shortest.
  const checkMs = Math.max(
    10,
    Math.min(opts.requestTimeouts?.headersMs ?? 32_000, opts.requestTimeouts?.requestMs ?? 60_000) / 10,
  );
  const listen = async () => {
    const s = tls
      ? createHttpsServer(
          { cert: tls.cert, key: tls.key, connectionsCheckingInterval: checkMs },
          (req, res) => void handler(req, res),
        )
      : createHttpServer({ connectionsCheckingInterval: checkMs }, (req, res) => void handler(req, res));
    // A request still arriving is cut (408) after these; 100 half-sent requests no longer stay
    // open for minutes. Watches are long-lived responses, not long requests: WATCH-13 decides
    // when they end, and no socket inactivity timeout applies.
    s.headersTimeout = opts.requestTimeouts?.headersMs ?? 32_000;
    s.requestTimeout = opts.requestTimeouts?.requestMs ?? 60_000;
    s.timeout = 0;
    s.keepAliveTimeout = 30_000;
    s.on('connection', (sock: Socket) => {
      sock.setNoDelay(true);
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => {
        s.off('error', reject);
        resolve();
      });
    });
    const addr = s.address();
    if (addr && typeof addr === 'object') port = addr.port;
    server = s;
  };
  await listen();
  const scheme = tls ? 'https' : 'http';

  const api: LocalApiServer = {
    get url() {
      return `${scheme}://${host}:${port}`;
    },
    get port() {
      return port;
    },
    ...(token !== undefined ? { token } : {}),
    ...(caPem ? { caPem } : {}),
    kubeconfig(o = {}) {
      const context = o.context ?? 'kubeloop-local';
      const lines = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${context}`,
        '  cluster:',
        `    server: ${yamlQuote(api.url)}`,
        // client-node refuses plain http unless TLS verification is marked as skipped.
        ...(caPem
          ? [`    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`]
          : ['    insecure-skip-tls-verify: true']),
        'users:',
        `- name: ${context}`,
        '  user:',
        `    token: ${yamlQuote(token ?? 'kubeloop-local')}`,
        'contexts:',
        `- name: ${context}`,
        '  context:',
        `    cluster: ${context}`,
        `    user: ${context}`,
        ...(o.namespace ? [`    namespace: ${yamlQuote(o.namespace)}`] : []),
        `current-context: ${context}`,
        'preferences: {}',
        '',
      ];
      return lines.join('\n');
    },
    writeKubeconfig(path) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, api.kubeconfig(), { mode: 0o600 });
    },
    async stop() {
      if (!server) return;
      const s = server;
      server = undefined;
      for (const w of [...watches]) w();
      watches.clear();
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      await closed;
    },
    async start() {
      if (server) return;
      await listen();
    },
    forceCompaction() {
      store.compact();
    },
    setDeploymentSimulation,
    setJobSimulation,
    async controllersIdle() {
      const all = [
        ...controllers,
        ...(deploymentSim ? [deploymentSim as InProcessController & { idle?(): Promise<void> }] : []),
        ...(jobSim ? [jobSim as InProcessController & { idle?(): Promise<void> }] : []),
      ];
      for (let i = 0; i < 3; i++) for (const c of all) await c.idle?.();
    },
  };
  return api;
}
