import { names } from '@nx/devkit';
import { GeneratorError } from './write-files.ts';

/**
 * kubebuilder's default plural of a kind (flect's rules for the common cases): lowercase, then
 * `-es` after s/x/z/ch/sh, `-ies` for a consonant + y, `-s` otherwise.
 */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export interface KindNames {
  /** `RedisCluster` */
  kind: string;
  /** `rediscluster`: kubebuilder's lowercase singular (paths, webhook names). */
  lower: string;
  plural: string;
  /** `redis-cluster`: file names. */
  fileName: string;
  /** `redisCluster`: variables. */
  propertyName: string;
}

export function kindNames(kind: string): KindNames {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind))
    throw new GeneratorError(
      'BadName',
      `--kind ${kind}: a kind is CamelCase starting with an upper-case letter (e.g. Guestbook)`,
    );
  const n = names(kind);
  return {
    kind,
    lower: kind.toLowerCase(),
    plural: pluralOf(kind),
    fileName: n.fileName,
    propertyName: n.propertyName,
  };
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function checkAppName(name: string): void {
  if (!DNS_LABEL.test(name) || name.length > 40)
    throw new GeneratorError(
      'BadName',
      `operator name "${name}": use a lowercase DNS label of at most 40 characters (a-z, 0-9, '-'): it names the Nx project, the image and the <name>-system namespace`,
    );
}

export function checkDomain(domain: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(domain))
    throw new GeneratorError(
      'BadName',
      `--domain ${domain}: a DNS domain with a dot, lowercase (e.g. my.domain); API groups are <group>.<domain>`,
    );
}

export function checkGroup(group: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(group))
    throw new GeneratorError('BadName', `--group ${group}: lowercase DNS label(s), e.g. webapp`);
}

export function checkVersion(version: string): void {
  if (!/^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/.test(version))
    throw new GeneratorError(
      'BadName',
      `--api-version ${version}: a Kubernetes version such as v1, v1beta1 or v2alpha1`,
    );
}

/**
 * Whether kube-apiserver keeps the group for the Kubernetes project (`k8s.io`, `kubernetes.io`
 * and their subdomains): a CRD there needs the `api-approved.kubernetes.io` annotation, so the
 * kind is scaffolded with `apiApproval`. The runtime's isProtectedGroup says the same; the plugin
 * imports no workspace project, hence this one-line twin.
 */
export function isProtectedGroup(group: string): boolean {
  return /(^|\.)(k8s|kubernetes)\.io$/.test(group);
}
