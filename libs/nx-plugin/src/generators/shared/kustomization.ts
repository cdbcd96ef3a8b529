import type { Tree } from '@nx/devkit';
import { isSeq, parseDocument, YAMLSeq } from 'yaml';
import { GeneratorError } from './write-files.ts';

/**
 * Adds `entry` to a kustomization's `resources` (or another list such as `patches`), keeping
 * its comments and order; returns false when it is already there.
 */
export function addToKustomization(tree: Tree, path: string, entry: unknown, list = 'resources'): boolean {
  const text = tree.read(path, 'utf-8');
  if (text === null)
    throw new GeneratorError('NotAnOperator', `${path} does not exist: is this an app made by @kubeloop/nx:operator?`);
  const doc = parseDocument(text);
  let seq = doc.get(list);
  if (seq === undefined || seq === null) {
    seq = new YAMLSeq();
    doc.set(list, seq);
  }
  if (!isSeq(seq)) throw new GeneratorError('NotAnOperator', `${path}: ${list} is not a list`);
  const same = (item: unknown) => JSON.stringify(item) === JSON.stringify(entry);
  if (seq.toJSON().some(same)) return false;
  seq.flow = false;
  seq.add(doc.createNode(entry));
  tree.write(path, doc.toString({ lineWidth: 0 }));
  return true;
}
