import { describe, expect, it } from 'vitest';
import { InvalidManifestError } from './errors.ts';
import { asKubeObject, collectionPath, groupVersionPath } from './resources.ts';

describe('resource paths', () => {
  it('puts the core group under /api and the others under /apis', () => {
    expect(groupVersionPath('v1')).toBe('/api/v1');
    expect(groupVersionPath('apps/v1')).toBe('/apis/apps/v1');
  });

  it('builds namespaced and cluster-scoped collection paths, defaulting the namespace', () => {
    expect(collectionPath('v1', { plural: 'configmaps', namespaced: true }, 'ns1')).toBe(
      '/api/v1/namespaces/ns1/configmaps',
    );
    expect(collectionPath('v1', { plural: 'configmaps', namespaced: true }, undefined)).toBe(
      '/api/v1/namespaces/default/configmaps',
    );
    expect(
      collectionPath('rbac.authorization.k8s.io/v1', { plural: 'clusterroles', namespaced: false }, 'ignored'),
    ).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles');
  });

  it('rejects objects without apiVersion, kind or name, naming where they came from', () => {
    expect(() => asKubeObject({ kind: 'X', metadata: { name: 'a' } }, 'doc 3')).toThrow(/doc 3: apiVersion and kind/);
    expect(() => asKubeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'doc 1')).toThrow(
      InvalidManifestError,
    );
    expect(() => asKubeObject([], 'doc 2')).toThrow(/not an object/);
    expect(asKubeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, 'x').kind).toBe('ConfigMap');
  });
});
