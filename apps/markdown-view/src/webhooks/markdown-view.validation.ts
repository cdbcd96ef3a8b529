import { fieldInvalid, fieldRequired, fieldTooLong, type FieldError } from '@kubeloop/runtime';
import { MAX_REPLICAS, MIN_REPLICAS, SUMMARY_KEY, type MarkdownViewObject } from '../api/v1/markdown-view.ts';
import { DEFAULT_VIEWER_IMAGE } from '../desired/viewer.ts';

/** A ConfigMap holds at most 1 MiB of data; the pages must fit in one. */
export const MAX_MARKDOWNS_BYTES = 1024 * 1024;

/** `viewer-<name>` names a Service: a DNS-1035 label of at most 63 characters. */
export const MAX_NAME_LENGTH = 63 - 'viewer-'.length;

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The rules the validating webhook `vmarkdownview.kb.io` enforces, all reported together so a
 * user fixes everything in one edit. The first two messages are the original tutorial's, word
 * for word. (The schema repeats the replicas bounds so they hold with webhooks off; when the
 * API server's schema check refuses first, its own message is what the user sees.)
 */
export function validateMarkdownView(view: MarkdownViewObject, operation: 'CREATE' | 'UPDATE'): FieldError[] {
  const errors: FieldError[] = [];
  const replicas = view.spec?.replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < MIN_REPLICAS || replicas > MAX_REPLICAS)) {
    errors.push(
      fieldInvalid('spec.replicas', replicas, `replicas must be in the range of ${MIN_REPLICAS} to ${MAX_REPLICAS}.`),
    );
  }
  const markdowns = view.spec?.markdowns ?? {};
  if (!Object.hasOwn(markdowns, SUMMARY_KEY)) {
    errors.push(fieldRequired('spec.markdowns', 'markdowns must have SUMMARY.md.'));
  }
  let size = 0;
  for (const [key, value] of Object.entries(markdowns)) {
    const problem = configMapKeyProblem(key);
    if (problem) errors.push(fieldInvalid(`spec.markdowns[${key}]`, key, problem));
    size += Buffer.byteLength(key) + Buffer.byteLength(value ?? '');
  }
  if (size > MAX_MARKDOWNS_BYTES) {
    // Keys and contents together, as the API server counts a ConfigMap's size.
    errors.push(fieldTooLong('spec.markdowns', MAX_MARKDOWNS_BYTES));
  }
  // Names are immutable, so checking on create is enough (and an old object stays updatable).
  const name = view.metadata?.name;
  if (operation === 'CREATE' && name && (name.length > MAX_NAME_LENGTH || !DNS_1035_LABEL.test(name))) {
    errors.push(
      fieldInvalid(
        'metadata.name',
        name,
        `must be a lowercase DNS-1035 label (a-z, 0-9, '-', starting with a letter) of at most ${MAX_NAME_LENGTH} characters, because the Service viewer-<name> is named after it`,
      ),
    );
  }
  return errors;
}

/** Kubernetes' IsConfigMapKey, with its messages. */
export function configMapKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!CONFIG_MAP_KEY.test(key)) {
    return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  }
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

/**
 * What the mutating webhook `mmarkdownview.kb.io` fills in: the viewer image, so the stored
 * object says which image runs (and a later change of the operator's default does not silently
 * roll every book).
 */
export function defaultMarkdownView(view: MarkdownViewObject, image = DEFAULT_VIEWER_IMAGE): void {
  if (!view.spec) return;
  if (!view.spec.viewerImage) view.spec.viewerImage = image;
}
