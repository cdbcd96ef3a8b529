import { parentLabel, TUPLE_LABEL } from './labels.ts';

export interface DesiredNumber {
  name: string;
  value: number;
  labels: Record<string, string>;
}

/** The Numbers a Tuple should own: `<tuple>-<index>` with `spec.value` = the item. */
export function desiredNumbers(tuple: { metadata: { name?: string }; spec?: { numbers?: number[] } }): DesiredNumber[] {
  const name = tuple.metadata.name!;
  const labels = parentLabel(TUPLE_LABEL, name);
  return (tuple.spec?.numbers ?? []).map((value, i) => ({ name: `${name}-${i}`, value, labels }));
}
