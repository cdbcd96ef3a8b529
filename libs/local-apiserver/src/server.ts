import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
import { StateDir, StateDirError } from './store/state-dir.ts';
import { createCredentials, stateDirCredentials, type ServerCredentials } from './auth/credentials.ts';

export interface LocalApiServerOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
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
   * The bearer token every request but /healthz, /livez, /readyz and /version must carry (401
   * otherwise). Default: 32 random bytes per start, or the state directory's. It is written only
   * into the kubeconfig (mode 0600), with the CA of the server's HTTPS certificate: the server
   * speaks only HTTPS, because kubectl (client-go) never sends a token over plain HTTP.
   */
  token?: string;
  /**
   * Keeps objects, the resourceVersion high-water mark and the credentials here across restarts
   * (store/state-dir.ts), as a cluster keeps etcd. Without it, everything lives in memory and
   * every start is a new cluster: new CA, new token, so old clients are refused, never stale.
   */
  stateDir?: string;
  /** With `stateDir`: start with no objects; resourceVersions still continue past the old ones. */
  fresh?: boolean;
  /**
   * How long a get or list from a resourceVersion the server has not reached waits for it before
   * answering 504 ResourceVersionTooLarge (GET-3). Default 3000: kube-apiserver v1.36.2 answered
   * after ~3 s (its watch cache's blockTimeout, measured). Tests shorten it.
   */
  futureResourceVersionWaitMs?: number;
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
  /** `https://<host>:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The bearer token clients need (in the kubeconfig). */
  readonly token: string;
  /** The CA of the serving certificate (in the kubeconfig as certificate-authority-data). */
  readonly caPem: string;
  /** The state directory, when the server keeps one. */
  readonly stateDir?: string;
  /** Whether this start continued from a state directory's objects (false: new or `fresh`). */
  readonly restored: boolean;
  kubeconfig(opts?: { context?: string; namespace?: string }): string;
  writeKubeconfig(path: string): void;
  /**
   * Closes every connection (watches are cut mid-stream); the data is kept. With a state
   * directory, also writes its snapshot and releases it, so another server may take it.
   */
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
    if (!engine.store.get(nsType.storageKey, '', name)) engine.store.create(nsType.storageKey, obj);
  }
  if (engine.store.get('/services', 'default', 'kubernetes')) return;
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
 * (client-node, kubectl) talk to it over HTTPS with the kubeconfig's CA and token exactly as to
 * kube-apiserver; see docs/apiserver.md for the rules it follows and README.md for its deviations.
 */
export async function startApiServer(opts: LocalApiServerOptions = {}): Promise<LocalApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger;
  const store = new ObjectStore(opts.watchHistory ?? 10_000);
  store.onListenerError = (e) =>
    logger?.({ level: 'error', msg: 'store listener failed', err: String((e as Error)?.stack ?? e) });

  const stateDir = opts.stateDir !== undefined ? new StateDir(resolve(opts.stateDir)) : undefined;
  let credentials: ServerCredentials;
  let restored = false;
  if (stateDir) {
    stateDir.lock();
    try {
      const loaded = stateDir.load(opts.fresh ?? false);
      // A fresh start moves past every RV handed out before: a client's watch from any of them
      // is 410 Expired (so it relists and learns the objects are gone), never a silent resume.
      store.restore(loaded.objects, opts.fresh ? loaded.highWaterMark + 1 : loaded.highWaterMark);
      restored = loaded.existing;
      stateDir.attach(store, opts.fresh === true || loaded.objects.length > 0);
      credentials = stateDirCredentials(stateDir.dir, host, opts.token);
    } catch (e) {
      stateDir.unlock();
      throw e;
    }
  } else {
    credentials = createCredentials(host, opts.token);
  }
  const token = credentials.token;
  const caPem = credentials.ca.cert;

  const registry = new Registry(crdSchemaModule);
  const engine = new ApiEngine(store, registry);
  engine.crdSchema = crdSchemaModule;
  engine.admission = opts.admission ?? admissionModule;
  engine.conversion = opts.conversion ?? conversionModule;
  bootstrap(engine);
  // The history begins after the bootstrap objects, as kube-apiserver's watch cache begins at the
  // RV it started from: a watch or exact list from an RV before that (RV 1) is 410 Expired.
  store.compact();

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
  const controllersIdle = async () => {
    const all = [
      ...controllers,
      ...(deploymentSim ? [deploymentSim as InProcessController & { idle?(): Promise<void> }] : []),
      ...(jobSim ? [jobSim as InProcessController & { idle?(): Promise<void> }] : []),
    ];
    for (let i = 0; i < 3; i++) for (const c of all) await c.idle?.();
  };
  // Restored CRDs are served before the first request: a client resuming its watches must not
  // see 404 for a kind that exists.
  if (store.storageKeys().length > 0 && stateDir) await controllersIdle();

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
    guard: { token, host, port: () => port },
    futureRvWaitMs: opts.futureResourceVersionWaitMs ?? 3000,
  });
  let server: Server | undefined;

  // How often Node looks for requests past their time limits: a tenth of the shortest.
  const checkMs = Math.max(
    10,
    Math.min(opts.requestTimeouts?.headersMs ?? 32_000, opts.requestTimeouts?.requestMs ?? 60_000) / 10,
  );
  const listen = async () => {
    const s = createHttpsServer(
      {
        cert: credentials.serving.cert,
        key: credentials.serving.key,
        connectionsCheckingInterval: checkMs,
      },
      (req, res) => void handler(req, res),
    );
    // A request still arriving is cut (408) after these; 100 half-sent requests no longer stay
    // open for minutes. Watches are long-lived responses, not long requests: WATCH-13 decides
    // when they end, and no socket inactivity timeout applies.
    s.headersTimeout = opts.requestTimeouts?.headersMs ?? 32_000;
    s.requestTimeout = opts.requestTimeouts?.requestMs ?? 60_000;
    s.timeout = 0;
    s.keepAliveTimeout = 30_000;
    // TLS sockets: 'secureConnection' carries the TLSSocket; 'connection' the raw one beneath.
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
  try {
    await listen();
  } catch (e) {
    for (const c of controllers) c.stop();
    deploymentSim?.stop();
    stateDir?.close();
    throw e;
  }
  let stateDirOpen = true;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;

  const api: LocalApiServer = {
    get url() {
      return `https://${urlHost}:${port}`;
    },
    get port() {
      return port;
    },
    token,
    caPem,
    ...(stateDir ? { stateDir: stateDir.dir } : {}),
    restored,
    kubeconfig(o = {}) {
      const context = o.context ?? 'kubeloop-local';
      const lines = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${context}`,
        '  cluster:',
        `    server: ${yamlQuote(api.url)}`,
        `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
        'users:',
        `- name: ${context}`,
        '  user:',
        `    token: ${yamlQuote(token)}`,
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
      // Replace, never rewrite in place: a file that exists keeps its mode under writeFileSync.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, api.kubeconfig(), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, path);
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
      if (stateDir && stateDirOpen) {
        stateDirOpen = false;
        stateDir.close();
      }
    },
    async start() {
      if (server) return;
      if (stateDir && !stateDirOpen) {
        // The directory may have been another server's meanwhile: only resume what is still ours.
        stateDir.lock();
        const onDisk = stateDir.load();
        if (onDisk.highWaterMark !== store.currentRv) {
          stateDir.unlock();
          throw new StateDirError(
            `state directory ${stateDir.dir} moved on while this server was stopped (RV ${onDisk.highWaterMark}, here ${store.currentRv}); start a new server on it`,
          );
        }
        stateDir.attach(store, false);
        stateDirOpen = true;
      }
      await listen();
    },
    forceCompaction() {
      store.compact();
    },
    setDeploymentSimulation,
    setJobSimulation,
    controllersIdle,
  };
  return api;
}
