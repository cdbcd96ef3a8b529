/** Per-type Table columns of the built-ins, as kube-apiserver's printers (pkg/printers/internalversion) print them. */
import type { KubeObject, Obj } from '../types.ts';
import { textOf } from '../engine/object-values.ts';
import {
  CREATION_DESCRIPTION,
  ageOf,
  humanDuration,
  nameColumn,
  type Printer,
  type TableColumnDefinition,
} from './columns.ts';
import { DOCS } from './column-docs.ts';

function col(name: string, description: string, type = 'string', priority = 0): TableColumnDefinition {
  return { name, type, format: '', description, priority };
}

const o = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const age = (obj: KubeObject, now: Date) => ageOf(obj.metadata?.creationTimestamp, now);
const ageColumn = col('Age', CREATION_DESCRIPTION);

const CRONJOB_TIMEZONE_DESCRIPTION =
  'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones';

/** The wide (-o wide) columns Jobs and CronJobs share. */
const WORKLOAD_WIDE_COLUMNS = [
  col('Containers', 'Names of each container in the template.', 'string', 1),
  col('Images', 'Images referenced by each container in the template.', 'string', 1),
  col(
    'Selector',
    'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
    'string',
    1,
  ),
];

function workloadWideCells(podSpec: Obj, selector: unknown): string[] {
  const containers = Array.isArray(podSpec.containers) ? (podSpec.containers as unknown[]).map(o) : [];
  const labels = o(o(selector).matchLabels);
  const sel = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${String(labels[k])}`)
    .join(',');
  return [
    containers.map((c) => textOf(c.name)).join(','),
    containers.map((c) => textOf(c.image)).join(','),
    sel || '<none>',
  ];
}

/** printJob's STATUS: the last terminal or interim condition, else Suspended/Terminating/Running. */
function jobStatus(obj: KubeObject): string {
  const conds = Array.isArray(o(obj.status).conditions) ? (o(obj.status).conditions as unknown[]).map(o) : [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  for (const t of ['Failed', 'Complete', 'SuccessCriteriaMet', 'FailureTarget', 'Suspended']) if (has(t)) return t;
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  return 'Running';
}

/** The real server's per-type printers for the built-ins operators look at most. */
const builtinPrinters: Record<string, Printer> = {
  '/ConfigMap': {
    columns: [nameColumn, col('Data', DOCS.configMapData), ageColumn],
    cells: (obj, now) => [
      obj.metadata?.name,
      Object.keys(o(obj.data)).length + Object.keys(o(obj.binaryData)).length,
      age(obj, now),
    ],
  },
  '/Secret': {
    columns: [nameColumn, col('Type', DOCS.secretType), col('Data', DOCS.secretData), ageColumn],
    cells: (obj, now) => [
      obj.metadata?.name,
      typeof obj.type === 'string' ? obj.type : 'Opaque',
      Object.keys(o(obj.data)).length,
      age(obj, now),
    ],
  },
  '/Namespace': {
    columns: [nameColumn, col('Status', 'The status of the namespace'), ageColumn],
    cells: (obj, now) => [obj.metadata?.name, o(obj.status).phase ?? 'Active', age(obj, now)],
  },
  '/Pod': {
    columns: [
      nameColumn,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      ageColumn,
    ],
    cells: (obj, now) => {
      const statuses = (o(obj.status).containerStatuses as Obj[] | undefined) ?? [];
      const containers = (o(obj.spec).containers as unknown[] | undefined) ?? [];
      const ready = statuses.filter((s) => s.ready === true).length;
      const restarts = statuses.reduce((n, s) => n + num(s.restartCount), 0);
      return [
        obj.metadata?.name,
        `${ready}/${containers.length}`,
        o(obj.status).phase ?? 'Pending',
        restarts,
        age(obj, now),
      ];
    },
  },
  '/Service': {
    columns: [
      nameColumn,
      col('Type', DOCS.serviceType),
      col('Cluster-IP', DOCS.serviceClusterIP),
      col('External-IP', DOCS.serviceExternalIPs),
      col('Port(s)', DOCS.servicePorts),
      ageColumn,
      col('Selector', DOCS.serviceSelector, 'string', 1),
    ],
    cells: (obj, now) => {
      const spec = o(obj.spec);
      const ports = ((spec.ports as Obj[] | undefined) ?? []).map(
        (p) => `${textOf(p.port)}${p.nodePort ? `:${textOf(p.nodePort)}` : ''}/${textOf(p.protocol ?? 'TCP')}`,
      );
      // getServiceExternalIP: an ExternalName service shows its external name.
      const external =
        spec.type === 'ExternalName'
          ? textOf(spec.externalName)
          : (spec.externalIPs as string[] | undefined)?.join(',') ||
            (spec.type === 'LoadBalancer' ? '<pending>' : '<none>');
      return [
        obj.metadata?.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIP ?? '<none>',
        external,
        ports.length ? ports.join(',') : '<none>',
        age(obj, now),
        labelsString(o(spec.selector)),
      ];
    },
  },
  'apps/Deployment': {
    columns: [
      nameColumn,
      col('Ready', 'Number of the pod with ready state'),
      col('Up-to-date', DOCS.deploymentUpdated),
      col('Available', DOCS.deploymentAvailable),
      ageColumn,
      col('Containers', 'Names of each container in the template.', 'string', 1),
      col('Images', 'Images referenced by each container in the template.', 'string', 1),
      col('Selector', DOCS.deploymentSelector, 'string', 1),
    ],
    cells: (obj, now) => {
      const status = o(obj.status);
      const desired = typeof o(obj.spec).replicas === 'number' ? num(o(obj.spec).replicas) : 1;
      return [
        obj.metadata?.name,
        `${num(status.readyReplicas)}/${desired}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        age(obj, now),
        ...workloadWideCells(o(o(o(obj.spec).template).spec), o(obj.spec).selector),
      ];
    },
  },
  'batch/Job': {
    columns: [
      nameColumn,
      col('Status', 'Status of the job.'),
      col(
        'Completions',
        'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
      ),
      col('Duration', 'Time required to complete the job.'),
      ageColumn,
      ...WORKLOAD_WIDE_COLUMNS,
    ],
    cells: (obj, now) => {
      const spec = o(obj.spec);
      const status = o(obj.status);
      const completions =
        typeof spec.completions === 'number'
          ? `${num(status.succeeded)}/${spec.completions}`
          : `${num(status.succeeded)}/1 of ${num(spec.parallelism)}`;
      const start = typeof status.startTime === 'string' ? Date.parse(status.startTime) : NaN;
      const end = typeof status.completionTime === 'string' ? Date.parse(status.completionTime) : now.getTime();
      return [
        obj.metadata?.name,
        jobStatus(obj),
        completions,
        Number.isNaN(start) ? '' : humanDuration(end - start),
        age(obj, now),
        ...workloadWideCells(o(o(spec.template).spec), spec.selector),
      ];
    },
  },
  'batch/CronJob': {
    columns: [
      nameColumn,
      col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', CRONJOB_TIMEZONE_DESCRIPTION),
      col(
        'Suspend',
        'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
        'boolean',
      ),
      col('Active', 'A list of pointers to currently running jobs.', 'integer'),
      col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
      ageColumn,
      ...WORKLOAD_WIDE_COLUMNS,
    ],
    cells: (obj, now) => {
      const spec = o(obj.spec);
      const status = o(obj.status);
      const last = status.lastScheduleTime;
      return [
        obj.metadata?.name,
        spec.schedule ?? '',
        typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
        spec.suspend === true ? 'True' : 'False',
        Array.isArray(status.active) ? status.active.length : 0,
        typeof last === 'string' ? ageOf(last, now) : '<none>',
        age(obj, now),
        ...workloadWideCells(o(o(o(o(spec.jobTemplate).spec).template).spec), o(o(spec.jobTemplate).spec).selector),
      ];
    },
  },
  'apps/ReplicaSet': {
    columns: [
      nameColumn,
      col('Desired', DOCS.replicaSetDesired, 'integer'),
      col('Current', DOCS.replicaSetCurrent, 'integer'),
      col('Ready', DOCS.replicaSetReady, 'integer'),
      ageColumn,
      col('Containers', 'Names of each container in the template.', 'string', 1),
      col('Images', 'Images referenced by each container in the template.', 'string', 1),
      col('Selector', DOCS.replicaSetSelector, 'string', 1),
    ],
    cells: (obj, now) => {
      const status = o(obj.status);
      return [
        obj.metadata?.name,
        num(o(obj.spec).replicas),
        num(status.replicas),
        num(status.readyReplicas),
        age(obj, now),
        ...workloadWideCells(o(o(o(obj.spec).template).spec), o(obj.spec).selector),
      ];
    },
  },
};

builtinPrinters['/ServiceAccount'] = {
  columns: [nameColumn, ageColumn],
  cells: (obj, now) => [obj.metadata?.name, age(obj, now)],
};
builtinPrinters['coordination.k8s.io/Lease'] = {
  columns: [nameColumn, col('Holder', DOCS.leaseHolder), ageColumn],
  cells: (obj, now) => [obj.metadata?.name, textOf(o(obj.spec).holderIdentity), age(obj, now)],
};

/** labels.FormatLabels: `k=v,...` sorted, `<none>` when empty. */
function labelsString(m: Obj): string {
  const keys = Object.keys(m).sort();
  return keys.length ? keys.map((k) => `${k}=${String(m[k])}`).join(',') : '<none>';
}

/**
 * RoleBinding and ClusterRoleBinding (printRoleBinding): the server always fills the wide cells;
 * kubectl hides priority-1 columns unless `-o wide`.
 */
function bindingPrinter(of: string): Printer {
  return {
    columns: [
      nameColumn,
      col(
        'Role',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
      ),
      ageColumn,
      col('Users', `Users in the ${of}`, 'string', 1),
      col('Groups', `Groups in the ${of}`, 'string', 1),
      col('ServiceAccounts', `ServiceAccounts in the ${of}`, 'string', 1),
    ],
    cells: (obj, now) => {
      const ref = o(obj.roleRef);
      const subjects = ((obj.subjects as unknown[] | undefined) ?? []).map(o);
      const names = (kind: string) => subjects.filter((s) => s.kind === kind).map((s) => textOf(s.name));
      const sas = subjects
        .filter((s) => s.kind === 'ServiceAccount')
        .map((s) => `${textOf(s.namespace)}/${textOf(s.name)}`);
      return [
        obj.metadata?.name,
        `${textOf(ref.kind)}/${textOf(ref.name)}`,
        age(obj, now),
        names('User').join(', '),
        names('Group').join(', '),
        sas.join(', '),
      ];
    },
  };
}
builtinPrinters['rbac.authorization.k8s.io/RoleBinding'] = bindingPrinter('roleBinding');
builtinPrinters['rbac.authorization.k8s.io/ClusterRoleBinding'] = bindingPrinter('clusterRoleBinding');

/** The generic table of the real server's default convertor (TBL-4): Name and Created At. */
const genericPrinter: Printer = {
  columns: [
    nameColumn,
    { name: 'Created At', type: 'date', format: '', description: CREATION_DESCRIPTION, priority: 0 },
  ],
  cells: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null],
};

/** The real server's columns for the built-ins it prints (TBL-4); other built-ins get Name / Created At. */
export function builtinPrinter(group: string, kind: string): Printer {
  return builtinPrinters[`${group}/${kind}`] ?? genericPrinter;
}
