import { core, del, get, nsd, patch, post, put, rvOf, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `coordination-events/${name}`,
  title,
  steps,
  ...more,
});

const lease = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, ...metadata },
  spec,
});

const coreEvent = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: {
    kind: 'ConfigMap',
    namespace: '{{ns}}',
    name: 'cm',
    uid: '6b0c3a3e-0000-4000-8000-0000000000e1',
    apiVersion: 'v1',
  },
  reason: 'Tested',
  message: 'something happened',
  type: 'Normal',
  source: { component: 'conformance' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:00:00Z',
  count: 1,
  ...extra,
});

const eventV1 = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: '2025-01-01T00:00:00.000000Z',
  reportingController: 'example.com/conformance',
  reportingInstance: 'conformance-1',
  action: 'Testing',
  reason: 'Tested',
  regarding: { kind: 'ConfigMap', namespace: '{{ns}}', name: 'cm', apiVersion: 'v1' },
  note: 'something happened',
  type: 'Normal',
  ...extra,
});

export const coordinationEventsCases: CaseFile = {
  file: 'coordination-events',
  cases: [
    C('lease-leader-election', "client-go's leader election sequence on a Lease (404, create, renew, lose a race)", [
      get(nsd('coordination.k8s.io/v1', 'leases', 'leader')),
      post(
        nsd('coordination.k8s.io/v1', 'leases'),
        lease('leader', {
          holderIdentity: 'a',
          leaseDurationSeconds: 15,
          acquireTime: '2025-01-01T00:00:00.000000Z',
          renewTime: '2025-01-01T00:00:00.000000Z',
          leaseTransitions: 0,
        }),
        { id: 'create' },
      ),
      put(
        nsd('coordination.k8s.io/v1', 'leases', 'leader'),
        (c) =>
          lease(
            'leader',
            {
              holderIdentity: 'a',
              leaseDurationSeconds: 15,
              acquireTime: '2025-01-01T00:00:00.000000Z',
              renewTime: '2025-01-01T00:00:02.000000Z',
              leaseTransitions: 0,
            },
            { resourceVersion: rvOf(c, 'create') },
          ),
        { id: 'renew' },
      ),
      put(
        nsd('coordination.k8s.io/v1', 'leases', 'leader'),
        (c) =>
          lease(
            'leader',
            {
              holderIdentity: 'b',
              leaseDurationSeconds: 15,
              renewTime: '2025-01-01T00:00:03.000000Z',
              leaseTransitions: 1,
            },
            { resourceVersion: rvOf(c, 'create') },
          ),
        { note: 'a stale candidate loses: 409' },
      ),
    ]),
    C('lease-microtime', 'Lease times are MicroTime: exactly six fractional digits', [
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t0', { renewTime: '2025-01-01T00:00:00.000000Z' }), {
        note: 'microseconds: the one accepted form',
      }),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t1', { renewTime: '2025-01-01T00:00:00Z' }), {
        note: 'seconds only',
      }),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t2', { renewTime: '2025-01-01T00:00:00.123456789Z' }), {
        note: 'nanoseconds',
      }),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t3', { renewTime: '2025-01-01T00:00:00.1Z' }), {
        note: 'one digit',
      }),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t4', { renewTime: '2025-01-01T02:00:00.5+02:00' }), {
        note: 'an offset',
      }),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('t5', { renewTime: 'yesterday' }), { note: 'not a time' }),
      get(nsd('coordination.k8s.io/v1', 'leases', 't0')),
    ]),
    C('lease-validation', 'invalid Lease specs', [
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('v1', { leaseDurationSeconds: 0 })),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('v2', { leaseTransitions: -1 })),
      post(nsd('coordination.k8s.io/v1', 'leases'), lease('v3', { leaseDurationSeconds: 'x' })),
    ]),
    C('core-event', 'a core/v1 Event, read back through events.k8s.io/v1', [
      post(core('events'), coreEvent('e1')),
      get(core('events', 'e1')),
      get(nsd('events.k8s.io/v1', 'events', 'e1')),
      get(core('events'), { query: { fieldSelector: 'involvedObject.name=cm,involvedObject.kind=ConfigMap' } }),
      get(core('events'), { query: { fieldSelector: 'reason=Tested,type=Normal,source=conformance' } }),
      patch(core('events', 'e1'), 'merge', { count: 2, lastTimestamp: '2025-01-01T00:01:00Z' }),
    ]),
    C('core-event-validation', 'core/v1 Events that are refused', [
      post(
        core('events'),
        coreEvent('e2', { involvedObject: { kind: 'ConfigMap', name: 'cm', namespace: 'elsewhere' } }),
        {
          note: 'involvedObject in another namespace',
        },
      ),
      post(core('events'), coreEvent('e3', { type: 'Weird' })),
      post(
        core('events'),
        { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e4' } },
        { note: 'nothing but a name' },
      ),
    ]),
    C('events-v1', 'an events.k8s.io/v1 Event, read back through core/v1', [
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n1')),
      get(nsd('events.k8s.io/v1', 'events', 'n1')),
      get(core('events', 'n1')),
      patch(nsd('events.k8s.io/v1', 'events', 'n1'), 'merge', {
        series: { count: 2, lastObservedTime: '2025-01-01T00:01:00.000000Z' },
      }),
      get(nsd('events.k8s.io/v1', 'events'), { query: { fieldSelector: 'regarding.name=cm' } }),
      get(nsd('events.k8s.io/v1', 'events'), { query: { fieldSelector: 'involvedObject.name=cm' } }),
      del(nsd('events.k8s.io/v1', 'events', 'n1')),
    ]),
    C('events-v1-validation', 'events.k8s.io/v1 Events that are refused', [
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n2', { eventTime: undefined }), { note: 'no eventTime' }),
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n3', { reportingController: undefined }), {
        note: 'no reportingController',
      }),
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n4', { action: undefined }), { note: 'no action' }),
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n5', { note: 'x'.repeat(1025) }), { note: 'note too long' }),
      post(nsd('events.k8s.io/v1', 'events'), eventV1('n6', { eventTime: '2025-01-01T00:00:00Z' }), {
        note: 'eventTime without fraction',
      }),
    ]),
  ],
};
