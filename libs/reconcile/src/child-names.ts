import type { KindRef } from './context.ts';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/**
 * The API server's 422 message for a child name it would refuse, or undefined when the name is
 * acceptable or the rule is not known here. Only for custom kinds: kube-apiserver validates
 * every custom resource's name as a DNS-1123 subdomain (at most 253 characters), while built-in
 * kinds each have their own rule (a Service's name is a DNS-1035 label of at most 63), which the
 * server states when it refuses. Worded as kube-apiserver v1.36 words it, so the parent's
 * status reads the same whether the name was checked here or by the server — and a parent of
 * 5,000 children whose names are too long learns it without 5,000 refused requests.
 */
export function invalidNameMessage(kind: KindRef, name: string): string | undefined {
  if (!kind.custom) return undefined;
  const problems: string[] = [];
  if (name.length > 253) problems.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(name)) problems.push(SUBDOMAIN_MESSAGE);
  if (problems.length === 0) return undefined;
  const causes = problems.map((p) => `metadata.name: Invalid value: ${JSON.stringify(name)}: ${p}`);
  const detail = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return `${kind.kind}.${kind.group} ${JSON.stringify(name)} is invalid: ${detail}`;
}
