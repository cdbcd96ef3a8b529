import type { FieldError, KubeObject } from '../types.ts';
import { validateApiApproval } from './api-approval.ts';
import { obj, type Obj } from './strategies/shared.ts';
import { textOf } from '../engine/object-values.ts';

// ---------------------------------------------------------------- CRD (CRD-1, CRD-4)
export function crdValidate(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const names = obj(spec.names);
  const group = textOf(spec.group);
  if (!group) errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
  else if (!group.includes('.'))
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.group',
      value: group,
      detail: 'should be a domain with at least one dot',
    });
  if (!names.plural) errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
  if (!names.kind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
  if (!names.listKind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.listKind' });
  const expected = `${textOf(names.plural)}.${group}`;
  if (o.metadata?.name !== expected) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: o.metadata?.name ?? '',
      detail: 'must be spec.names.plural+"."+spec.group',
    });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    if (!spec.scope) errs.push({ type: 'FieldValueRequired', field: 'spec.scope' });
    else
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.scope',
        value: spec.scope,
        detail: 'supported values: "Cluster", "Namespaced"',
      });
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  if (versions.length === 0)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: versions,
      detail: 'must have exactly one version marked as storage version',
    });
  // More than one or no storage version: crd-schema's validateCrd, with the internal versions in the message.
  if (old) {
    // validateCustomResourceDefinitionSpecUpdate: scope and kind fix the storage once the CRD is
    // Established; group and plural make the resource's name, always immutable (CRD-4).
    const oldSpec = obj(old.spec);
    const oldNames = obj(oldSpec.names);
    const immutable = (field: string, value: unknown, was: unknown) => {
      if (value !== was) errs.push({ type: 'FieldValueInvalid', field, value, detail: 'field is immutable' });
    };
    const established = ((obj(old.status).conditions as Obj[] | undefined) ?? []).some(
      (c) => c.type === 'Established' && c.status === 'True',
    );
    if (established) {
      immutable('spec.scope', spec.scope, oldSpec.scope);
      immutable('spec.names.kind', names.kind, oldNames.kind);
    }
    immutable('spec.group', spec.group, oldSpec.group);
    immutable('spec.names.plural', names.plural, oldNames.plural);
    const stored = (obj(old.status).storedVersions as string[] | undefined) ?? [];
    for (const s of stored) {
      if (!versions.some((v) => v.name === s)) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'status.storedVersions[' + stored.indexOf(s) + ']',
          value: s,
          detail: 'must appear in spec.versions',
        });
      }
    }
  }
  errs.push(...validateApiApproval(o, old));
  errs.push(...validateConversion(obj(spec.conversion)));
  return errs;
}

/** spec.conversion (CRD-V-4): a Webhook strategy needs a client config and review versions; None has neither. */
function validateConversion(conversion: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const webhook = conversion.webhook === undefined || conversion.webhook === null ? undefined : obj(conversion.webhook);
  const versions = webhook?.conversionReviewVersions as unknown[] | undefined;
  if (conversion.strategy === 'Webhook') {
    if (!webhook?.clientConfig)
      errs.push({
        type: 'FieldValueRequired',
        field: 'spec.conversion.webhookClientConfig',
        detail: 'required when strategy is set to Webhook',
      });
    if (!Array.isArray(versions) || versions.length === 0)
      errs.push({ type: 'FieldValueRequired', field: 'spec.conversion.conversionReviewVersions' });
    else if (!versions.some((v) => v === 'v1' || v === 'v1beta1'))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.conversion.conversionReviewVersions',
        value: versions,
        detail: 'must include at least one of v1, v1beta1',
      });
  } else if (webhook?.clientConfig) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'spec.conversion.webhookClientConfig',
      detail: 'should not be set when strategy is not set to Webhook',
    });
  } else if (versions !== undefined) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'spec.conversion.conversionReviewVersions',
      detail: 'should not be set when strategy is not set to Webhook',
    });
  }
  return errs;
}
