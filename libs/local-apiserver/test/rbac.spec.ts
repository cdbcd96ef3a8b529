import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers.ts';

/**
 * rbac.authorization.k8s.io/v1 is stored and served like on kube-apiserver v1.36 (defaults,
 * validation causes, Table columns), and never enforced. Expected bodies were taken from a real
 * v1.36 server.
 */
const G = '/apis/rbac.authorization.k8s.io/v1';

describe('RBAC kinds', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('DISC: the group lists roles and rolebindings (namespaced), clusterroles and clusterrolebindings', async () => {
    const groups = await t.get('/apis');
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toContain('rbac.authorization.k8s.io');
    const r = await t.get(G);
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(
      r.body.resources.map((x: { name: string; namespaced: boolean; kind: string }) => [
        x.name,
        [x.kind, x.namespaced],
      ]),
    );
    expect(byName).toEqual({
      clusterrolebindings: ['ClusterRoleBinding', false],
      clusterroles: ['ClusterRole', false],
      rolebindings: ['RoleBinding', true],
      roles: ['Role', true],
    });
    const openapi = await t.get('/openapi/v3');
    expect(Object.keys(openapi.body.paths)).toContain('apis/rbac.authorization.k8s.io/v1');
  });

  it('a Role without rules comes back with "rules": null and no generation', async () => {
    const r = await t.post(`${G}/namespaces/default/roles`, { metadata: { name: 'empty' } });
    expect(r.status).toBe(201);
    expect(r.body.kind).toBe('Role');
    expect(r.body.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(r.body.rules).toBeNull();
    expect(r.body.metadata.generation).toBeUndefined();
  });

  it('bindings default roleRef.apiGroup and the apiGroup of User and Group subjects', async () => {
    const r = await t.post(`${G}/namespaces/default/rolebindings`, {
      metadata: { name: 'rb' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'ServiceAccount', name: 'sa' },
        { kind: 'User', name: 'bob' },
        { kind: 'Group', name: 'devs' },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(r.body.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'sa' },
      { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
  });

  it('Role rules are validated with the real causes', async () => {
    const r = await t.post(`${G}/namespaces/default/roles`, {
      metadata: { name: 'bad' },
      rules: [
        { resources: ['pods'] },
        { apiGroups: [''], verbs: ['get'] },
        { nonResourceURLs: ['/x'], verbs: ['get'] },
      ],
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'Role.rbac.authorization.k8s.io "bad" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[1].resources: Required value: resource rules must supply at least one resource, rules[2].nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs]',
    );
    expect(r.body.details).toMatchObject({ name: 'bad', group: 'rbac.authorization.k8s.io', kind: 'Role' });
  });

  it('ClusterRole rules may name non-resource URLs, but not together with resources', async () => {
    const ok = await t.post(`${G}/clusterroles`, {
      metadata: { name: 'metrics' },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    });
    expect(ok.status).toBe(201);
    const r = await t.post(`${G}/clusterroles`, {
      metadata: { name: 'bad' },
      rules: [
        { apiGroups: [''], verbs: [] },
        { nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] },
      ],
    });
    expect(r.status).toBe(422);
    expect(r.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`)).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
      'rules[1].nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  it('RoleBinding roleRef kinds and subjects are validated', async () => {
    const r = await t.post(`${G}/namespaces/default/rolebindings`, {
      metadata: { name: 'bad' },
      roleRef: { kind: 'Foo', name: '' },
      subjects: [{ kind: 'ServiceAccount', name: 'x' }, { kind: 'User' }, { kind: 'Bogus', name: 'yy' }],
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'RoleBinding.rbac.authorization.k8s.io "bad" is invalid: [roleRef.kind: Unsupported value: "Foo": supported values: "Role", "ClusterRole", roleRef.name: Required value, subjects[1].name: Required value, subjects[2].kind: Unsupported value: "Bogus": supported values: "ServiceAccount", "User", "Group"]',
    );
  });

  it('ClusterRoleBinding: only ClusterRole, only this apiGroup, ServiceAccount subjects need a namespace', async () => {
    const r = await t.post(`${G}/clusterrolebindings`, {
      metadata: { name: 'bad' },
      roleRef: { kind: 'Role', name: 'x', apiGroup: 'foo' },
      subjects: [{ kind: 'ServiceAccount', name: 'x' }],
    });
    expect(r.status).toBe(422);
    expect(r.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`)).toEqual([
      'roleRef.apiGroup: Unsupported value: "foo": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });

  it('roleRef cannot change; subjects can', async () => {
    const path = `${G}/clusterrolebindings/crb`;
    const created = await t.post(`${G}/clusterrolebindings`, {
      metadata: { name: 'crb' },
      roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'default' }],
    });
    expect(created.status).toBe(201);
    const moved = await t.patch(path, { roleRef: { name: 'edit' } });
    expect(moved.status).toBe(422);
    expect(moved.body.message).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "crb" is invalid: roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"edit"}: cannot change roleRef',
    );
    const more = await t.patch(path, { subjects: [{ kind: 'Group', name: 'ops' }] });
    expect(more.status).toBe(200);
    expect(more.body.subjects).toEqual([{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }]);
  });

  it('TBL: bindings print Role, Age and the wide subject columns; roles the generic table', async () => {
    const table = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
    const rb = await t.get(`${G}/namespaces/default/rolebindings/rb`, table);
    expect(rb.body.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`)).toEqual(
      ['Name:0', 'Role:0', 'Age:0', 'Users:1', 'Groups:1', 'ServiceAccounts:1'],
    );
    expect(rb.body.rows[0].cells).toEqual([
      'rb',
      'ClusterRole/view',
      expect.stringMatching(/^\d+s$/),
      'bob',
      'devs',
      '/sa',
    ]);
    const roles = await t.get(`${G}/clusterroles`, table);
    expect(roles.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Created At']);
  });

  it('WATCH: role changes stream like any other kind; DEL-1 delete answers a Status', async () => {
    const list = await t.get(`${G}/namespaces/default/roles`);
    const w = t.watch(
      `${G}/namespaces/default/roles?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      (ev) => ev.some((e) => e.type === 'DELETED'),
    );
    await t.post(`${G}/namespaces/default/roles`, {
      metadata: { name: 'watched' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    const del = await t.del(`${G}/namespaces/default/roles/watched`);
    expect(del.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'watched', group: 'rbac.authorization.k8s.io', kind: 'roles' },
    });
    const { events } = await w;
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED watched', 'DELETED watched']);
  });
});
