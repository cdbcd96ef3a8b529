/**
 * Field tables of the protobuf messages of the built-in types that local-apiserver decodes
 * (field numbers from kubernetes' generated.proto files: k8s.io/api core/v1, apps/v1,
 * coordination/v1, rbac/v1; k8s.io/apimachinery meta/v1, intstr, resource, runtime).
 *
 * One entry per message: `jsonName=number[:type]`, separated by spaces. Types:
 *   s (default) string · b bool · i32 · i64 · by bytes (base64 in JSON)
 *   Time · MicroTime · Quantity · IntOrString · FieldsV1 — the apimachinery scalars with custom JSON
 *   Name — another message of this table · [T] repeated T · {T} map<string, T>
 * Suffix `?`: the Go field is a pointer, so a present zero (`replicas: 0`, `optional: false`) is
 * meaningful and kept. Without it a zero scalar is dropped: gogo-protobuf writes every
 * non-pointer field, set or not, and Go's JSON would omit those zeros (omitempty).
 * Prefix `^`: an embedded Go struct whose fields JSON inlines into the parent
 * (`LocalObjectReference` in key selectors, `VolumeSource` in `Volume`, `ProbeHandler` in `Probe`).
 *
 * Messages or fields that are missing here decode only while they are empty; anything set in
 * them is an error rather than silently lost data.
 */
const MESSAGES: Record<string, string> = {
  // k8s.io/apimachinery/pkg/apis/meta/v1
  ObjectMeta:
    'name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:i64 creationTimestamp=8:Time deletionTimestamp=9:Time ' +
    'deletionGracePeriodSeconds=10:i64? labels=11:{s} annotations=12:{s} ownerReferences=13:[OwnerReference] finalizers=14:[s] managedFields=17:[ManagedFieldsEntry]',
  OwnerReference: 'apiVersion=5 kind=1 name=3 uid=4 controller=6:b? blockOwnerDeletion=7:b?',
  ManagedFieldsEntry: 'manager=1 operation=2 apiVersion=3 time=4:Time fieldsType=6 fieldsV1=7:FieldsV1 subresource=8',
  LabelSelector: 'matchLabels=1:{s} matchExpressions=2:[LabelSelectorRequirement]',
  LabelSelectorRequirement: 'key=1 operator=2 values=3:[s]',
  Condition: 'type=1 status=2 observedGeneration=3:i64 lastTransitionTime=4:Time reason=5 message=6',

  // k8s.io/api/core/v1
  Namespace: 'metadata=1:ObjectMeta spec=2:NamespaceSpec status=3:NamespaceStatus',
  NamespaceSpec: 'finalizers=1:[s]',
  NamespaceStatus: 'phase=1 conditions=2:[NamespaceCondition]',
  NamespaceCondition: 'type=1 status=2 lastTransitionTime=4:Time reason=5 message=6',
  ConfigMap: 'metadata=1:ObjectMeta immutable=4:b? data=2:{s} binaryData=3:{by}',
  Secret: 'metadata=1:ObjectMeta immutable=5:b? data=2:{by} stringData=4:{s} type=3',
  ServiceAccount:
    'metadata=1:ObjectMeta secrets=2:[ObjectReference] imagePullSecrets=3:[LocalObjectReference] automountServiceAccountToken=4:b?',
  ObjectReference: 'kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7',
  LocalObjectReference: 'name=1',
  Service: 'metadata=1:ObjectMeta spec=2:ServiceSpec status=3:ServiceStatus',
  ServiceSpec:
    'ports=1:[ServicePort] selector=2:{s} clusterIP=3 clusterIPs=18:[s] type=4 externalIPs=5:[s] sessionAffinity=7 loadBalancerIP=8 ' +
    'loadBalancerSourceRanges=9:[s] externalName=10 externalTrafficPolicy=11 healthCheckNodePort=12:i32 publishNotReadyAddresses=13:b ' +
    'sessionAffinityConfig=14:SessionAffinityConfig ipFamilies=19:[s] ipFamilyPolicy=17? allocateLoadBalancerNodePorts=20:b? loadBalancerClass=21? ' +
    'internalTrafficPolicy=22? trafficDistribution=23?',
  ServicePort: 'name=1 protocol=2 appProtocol=6? port=3:i32 targetPort=4:IntOrString nodePort=5:i32',
  SessionAffinityConfig: 'clientIP=1:ClientIPConfig',
  ClientIPConfig: 'timeoutSeconds=1:i32?',
  ServiceStatus: 'loadBalancer=1:LoadBalancerStatus conditions=2:[Condition]',
  LoadBalancerStatus: 'ingress=1:[LoadBalancerIngress]',
  LoadBalancerIngress: 'ip=1 hostname=2 ipMode=3? ports=4:[PortStatus]',
  PortStatus: 'port=1:i32 protocol=2 error=3?',
  Pod: 'metadata=1:ObjectMeta spec=2:PodSpec status=3:PodStatus',
  PodStatus:
    'observedGeneration=17:i64 phase=1 conditions=2:[PodCondition] message=3 reason=4 nominatedNodeName=11 hostIP=5 podIP=6 startTime=7:Time qosClass=9',
  PodCondition:
    'type=1 observedGeneration=7:i64 status=2 lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6',
  PodTemplateSpec: 'metadata=1:ObjectMeta spec=2:PodSpec',
  PodSpec:
    'volumes=1:[Volume] initContainers=20:[Container] containers=2:[Container] restartPolicy=3 terminationGracePeriodSeconds=4:i64? ' +
    'activeDeadlineSeconds=5:i64? dnsPolicy=6 nodeSelector=7:{s} serviceAccountName=8 serviceAccount=9 automountServiceAccountToken=21:b? ' +
    'nodeName=10 hostNetwork=11:b hostPID=12:b hostIPC=13:b shareProcessNamespace=27:b? securityContext=14:PodSecurityContext ' +
    'imagePullSecrets=15:[LocalObjectReference] hostname=16 subdomain=17 schedulerName=19 tolerations=22:[Toleration] hostAliases=23:[HostAlias] ' +
    'priorityClassName=24 priority=25:i32? dnsConfig=26:PodDNSConfig readinessGates=28:[PodReadinessGate] runtimeClassName=29? ' +
    'enableServiceLinks=30:b? preemptionPolicy=31? overhead=32:{Quantity} topologySpreadConstraints=33:[TopologySpreadConstraint] ' +
    'setHostnameAsFQDN=35:b? os=36:PodOS hostUsers=37:b? schedulingGates=38:[PodSchedulingGate] resources=40:ResourceRequirements hostnameOverride=41?',
  Container:
    'name=1 image=2 command=3:[s] args=4:[s] workingDir=5 ports=6:[ContainerPort] envFrom=19:[EnvFromSource] env=7:[EnvVar] ' +
    'resources=8:ResourceRequirements resizePolicy=23:[ContainerResizePolicy] restartPolicy=24? volumeMounts=9:[VolumeMount] ' +
    'volumeDevices=21:[VolumeDevice] livenessProbe=10:Probe readinessProbe=11:Probe startupProbe=22:Probe lifecycle=12:Lifecycle ' +
    'terminationMessagePath=13 terminationMessagePolicy=20 imagePullPolicy=14 securityContext=15:SecurityContext stdin=16:b stdinOnce=17:b tty=18:b',
  ContainerPort: 'name=1 hostPort=2:i32 containerPort=3:i32 protocol=4 hostIP=5',
  ContainerResizePolicy: 'resourceName=1 restartPolicy=2',
  EnvVar: 'name=1 value=2 valueFrom=3:EnvVarSource',
  EnvVarSource:
    'fieldRef=1:ObjectFieldSelector resourceFieldRef=2:ResourceFieldSelector configMapKeyRef=3:ConfigMapKeySelector secretKeyRef=4:SecretKeySelector',
  EnvFromSource: 'prefix=1 configMapRef=2:ConfigMapEnvSource secretRef=3:SecretEnvSource',
  ConfigMapEnvSource: '^localObjectReference=1:LocalObjectReference optional=2:b?',
  SecretEnvSource: '^localObjectReference=1:LocalObjectReference optional=2:b?',
  ConfigMapKeySelector: '^localObjectReference=1:LocalObjectReference key=2 optional=3:b?',
  SecretKeySelector: '^localObjectReference=1:LocalObjectReference key=2 optional=3:b?',
  ObjectFieldSelector: 'apiVersion=1 fieldPath=2',
  ResourceFieldSelector: 'containerName=1 resource=2 divisor=3:Quantity',
  ResourceRequirements: 'limits=1:{Quantity} requests=2:{Quantity} claims=3:[ResourceClaim]',
  ResourceClaim: 'name=1 request=2',
  VolumeMount: 'name=1 readOnly=2:b recursiveReadOnly=7? mountPath=3 subPath=4 mountPropagation=5? subPathExpr=6',
  VolumeDevice: 'name=1 devicePath=2',
  Volume: 'name=1 ^volumeSource=2:VolumeSource',
  VolumeSource:
    'hostPath=1:HostPathVolumeSource emptyDir=2:EmptyDirVolumeSource secret=6:SecretVolumeSource persistentVolumeClaim=10:PersistentVolumeClaimVolumeSource ' +
    'downwardAPI=16:DownwardAPIVolumeSource configMap=19:ConfigMapVolumeSource projected=26:ProjectedVolumeSource csi=28:CSIVolumeSource',
  HostPathVolumeSource: 'path=1 type=2?',
  EmptyDirVolumeSource: 'medium=1 sizeLimit=2:Quantity',
  SecretVolumeSource: 'secretName=1 items=2:[KeyToPath] defaultMode=3:i32? optional=4:b?',
  ConfigMapVolumeSource:
    '^localObjectReference=1:LocalObjectReference items=2:[KeyToPath] defaultMode=3:i32? optional=4:b?',
  KeyToPath: 'key=1 path=2 mode=3:i32?',
  PersistentVolumeClaimVolumeSource: 'claimName=1 readOnly=2:b',
  DownwardAPIVolumeSource: 'items=1:[DownwardAPIVolumeFile] defaultMode=2:i32?',
  DownwardAPIVolumeFile: 'path=1 fieldRef=2:ObjectFieldSelector resourceFieldRef=3:ResourceFieldSelector mode=4:i32?',
  ProjectedVolumeSource: 'sources=1:[VolumeProjection] defaultMode=2:i32?',
  VolumeProjection:
    'secret=1:SecretProjection downwardAPI=2:DownwardAPIProjection configMap=3:ConfigMapProjection serviceAccountToken=4:ServiceAccountTokenProjection',
  SecretProjection: '^localObjectReference=1:LocalObjectReference items=2:[KeyToPath] optional=4:b?',
  ConfigMapProjection: '^localObjectReference=1:LocalObjectReference items=2:[KeyToPath] optional=4:b?',
  DownwardAPIProjection: 'items=1:[DownwardAPIVolumeFile]',
  ServiceAccountTokenProjection: 'audience=1 expirationSeconds=2:i64? path=3',
  CSIVolumeSource:
    'driver=1 readOnly=2:b? fsType=3? volumeAttributes=4:{s} nodePublishSecretRef=5:LocalObjectReference',
  Probe:
    '^handler=1:ProbeHandler initialDelaySeconds=2:i32 timeoutSeconds=3:i32 periodSeconds=4:i32 successThreshold=5:i32 failureThreshold=6:i32 ' +
    'terminationGracePeriodSeconds=7:i64?',
  ProbeHandler: 'exec=1:ExecAction httpGet=2:HTTPGetAction tcpSocket=3:TCPSocketAction grpc=4:GRPCAction',
  ExecAction: 'command=1:[s]',
  HTTPGetAction: 'path=1 port=2:IntOrString host=3 scheme=4 httpHeaders=5:[HTTPHeader]',
  HTTPHeader: 'name=1 value=2',
  TCPSocketAction: 'port=1:IntOrString host=2',
  GRPCAction: 'port=1:i32 service=2?',
  Lifecycle: 'postStart=1:LifecycleHandler preStop=2:LifecycleHandler stopSignal=3?',
  LifecycleHandler: 'exec=1:ExecAction httpGet=2:HTTPGetAction tcpSocket=3:TCPSocketAction sleep=4:SleepAction',
  SleepAction: 'seconds=1:i64',
  SecurityContext:
    'capabilities=1:Capabilities privileged=2:b? seLinuxOptions=3:SELinuxOptions windowsOptions=10:WindowsSecurityContextOptions runAsUser=4:i64? ' +
    'runAsGroup=8:i64? runAsNonRoot=5:b? readOnlyRootFilesystem=6:b? allowPrivilegeEscalation=7:b? procMount=9? seccompProfile=11:SeccompProfile ' +
    'appArmorProfile=12:AppArmorProfile',
  PodSecurityContext:
    'seLinuxOptions=1:SELinuxOptions windowsOptions=8:WindowsSecurityContextOptions runAsUser=2:i64? runAsGroup=6:i64? runAsNonRoot=3:b? ' +
    'supplementalGroups=4:[i64] supplementalGroupsPolicy=12? fsGroup=5:i64? sysctls=7:[Sysctl] fsGroupChangePolicy=9? seccompProfile=10:SeccompProfile ' +
    'appArmorProfile=11:AppArmorProfile seLinuxChangePolicy=13?',
  Capabilities: 'add=1:[s] drop=2:[s]',
  SELinuxOptions: 'user=1 role=2 type=3 level=4',
  WindowsSecurityContextOptions: 'gmsaCredentialSpecName=1? gmsaCredentialSpec=2? runAsUserName=3? hostProcess=4:b?',
  SeccompProfile: 'type=1 localhostProfile=2?',
  AppArmorProfile: 'type=1 localhostProfile=2?',
  Sysctl: 'name=1 value=2',
  Toleration: 'key=1 operator=2 value=3 effect=4 tolerationSeconds=5:i64?',
  HostAlias: 'ip=1 hostnames=2:[s]',
  PodDNSConfig: 'nameservers=1:[s] searches=2:[s] options=3:[PodDNSConfigOption]',
  PodDNSConfigOption: 'name=1 value=2?',
  PodReadinessGate: 'conditionType=1',
  TopologySpreadConstraint:
    'maxSkew=1:i32 topologyKey=2 whenUnsatisfiable=3 labelSelector=4:LabelSelector minDomains=5:i32? nodeAffinityPolicy=6? nodeTaintsPolicy=7? matchLabelKeys=8:[s]',
  PodOS: 'name=1',
  PodSchedulingGate: 'name=1',
  Event:
    'metadata=1:ObjectMeta involvedObject=2:ObjectReference reason=3 message=4 source=5:EventSource firstTimestamp=6:Time lastTimestamp=7:Time ' +
    'count=8:i32 type=9 eventTime=10:MicroTime series=11:EventSeries action=12 related=13:ObjectReference reportingComponent=14 reportingInstance=15',
  EventSource: 'component=1 host=2',
  EventSeries: 'count=1:i32 lastObservedTime=2:MicroTime',

  // k8s.io/api/apps/v1
  Deployment: 'metadata=1:ObjectMeta spec=2:DeploymentSpec status=3:DeploymentStatus',
  DeploymentSpec:
    'replicas=1:i32? selector=2:LabelSelector template=3:PodTemplateSpec strategy=4:DeploymentStrategy minReadySeconds=5:i32 ' +
    'revisionHistoryLimit=6:i32? paused=7:b progressDeadlineSeconds=9:i32?',
  DeploymentStrategy: 'type=1 rollingUpdate=2:RollingUpdateDeployment',
  RollingUpdateDeployment: 'maxUnavailable=1:IntOrString maxSurge=2:IntOrString',
  DeploymentStatus:
    'observedGeneration=1:i64 replicas=2:i32 updatedReplicas=3:i32 readyReplicas=7:i32 availableReplicas=4:i32 unavailableReplicas=5:i32 ' +
    'terminatingReplicas=9:i32? conditions=6:[DeploymentCondition] collisionCount=8:i32?',
  DeploymentCondition: 'type=1 status=2 lastUpdateTime=6:Time lastTransitionTime=7:Time reason=4 message=5',
  ReplicaSet: 'metadata=1:ObjectMeta spec=2:ReplicaSetSpec status=3:ReplicaSetStatus',
  ReplicaSetSpec: 'replicas=1:i32? minReadySeconds=4:i32 selector=2:LabelSelector template=3:PodTemplateSpec',
  ReplicaSetStatus:
    'replicas=1:i32 fullyLabeledReplicas=2:i32 readyReplicas=4:i32 availableReplicas=5:i32 terminatingReplicas=7:i32? observedGeneration=3:i64 ' +
    'conditions=6:[ReplicaSetCondition]',
  ReplicaSetCondition: 'type=1 status=2 lastTransitionTime=3:Time reason=4 message=5',

  // k8s.io/api/coordination/v1
  Lease: 'metadata=1:ObjectMeta spec=2:LeaseSpec',
  LeaseSpec:
    'holderIdentity=1? leaseDurationSeconds=2:i32? acquireTime=3:MicroTime renewTime=4:MicroTime leaseTransitions=5:i32? strategy=6? preferredHolder=7?',

  // k8s.io/api/rbac/v1
  Role: 'metadata=1:ObjectMeta rules=2:[PolicyRule]',
  ClusterRole: 'metadata=1:ObjectMeta rules=2:[PolicyRule] aggregationRule=3:AggregationRule',
  AggregationRule: 'clusterRoleSelectors=1:[LabelSelector]',
  PolicyRule: 'verbs=1:[s] apiGroups=2:[s] resources=3:[s] resourceNames=4:[s] nonResourceURLs=5:[s]',
  RoleBinding: 'metadata=1:ObjectMeta subjects=2:[Subject] roleRef=3:RoleRef',
  ClusterRoleBinding: 'metadata=1:ObjectMeta subjects=2:[Subject] roleRef=3:RoleRef',
  Subject: 'kind=1 apiGroup=2 name=3 namespace=4',
  RoleRef: 'apiGroup=1 kind=2 name=3',
};

/**
 * Top-level kinds by `group/Kind` (core group empty). events.k8s.io Events are absent: their
 * protobuf message differs from core's and no kubectl generator sends one.
 */
export const PROTOBUF_KINDS: Record<string, string> = {
  '/Namespace': 'Namespace',
  '/ConfigMap': 'ConfigMap',
  '/Secret': 'Secret',
  '/ServiceAccount': 'ServiceAccount',
  '/Service': 'Service',
  '/Pod': 'Pod',
  '/Event': 'Event',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'coordination.k8s.io/Lease': 'Lease',
  'rbac.authorization.k8s.io/Role': 'Role',
  'rbac.authorization.k8s.io/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'ClusterRoleBinding',
};

export type ScalarType =
  's' | 'b' | 'i32' | 'i64' | 'by' | 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1';

export interface FieldSpec {
  json: string;
  /** Scalar type or message name. */
  type: string;
  repeated: boolean;
  map: boolean;
  pointer: boolean;
  inline: boolean;
}

export type MessageSpec = ReadonlyMap<number, FieldSpec>;

const SCALARS = new Set<string>([
  's',
  'b',
  'i32',
  'i64',
  'by',
  'Time',
  'MicroTime',
  'Quantity',
  'IntOrString',
  'FieldsV1',
]);

export function isScalar(type: string): type is ScalarType {
  return SCALARS.has(type);
}

function parseMessage(name: string, text: string): Map<number, FieldSpec> {
  const out = new Map<number, FieldSpec>();
  for (const entry of text.split(/\s+/).filter(Boolean)) {
    const m = /^(\^?)(\w+)=(\d+)(?::(\[\w+\]|\{\w+\}|\w+))?(\??)$/.exec(entry);
    if (!m) throw new Error(`protobuf schema ${name}: cannot parse ${JSON.stringify(entry)}`);
    let type = m[4] ?? 's';
    const repeated = type.startsWith('[');
    const map = type.startsWith('{');
    if (repeated || map) type = type.slice(1, -1);
    out.set(Number(m[3]), { json: m[2]!, type, repeated, map, pointer: m[5] === '?', inline: m[1] === '^' });
  }
  return out;
}

const parsed = new Map<string, MessageSpec>(
  Object.entries(MESSAGES).map(([name, text]) => [name, parseMessage(name, text)]),
);

/** The field table of a message, or undefined when this table does not describe it. */
export function messageSpec(name: string): MessageSpec | undefined {
  return parsed.get(name);
}

/** Every message name a field refers to, for the consistency test. */
export function referencedMessages(): string[] {
  const out = new Set<string>();
  for (const spec of parsed.values()) for (const f of spec.values()) if (!isScalar(f.type)) out.add(f.type);
  return [...out];
}
