import { resolve } from 'node:path';
import { describeOperatorE2E, expectReady } from '@kubeloop/envtest';
import { expect } from 'vitest';

/**
 * The math operator as a user runs it (kubebuilder's `make test-e2e`): the image built from the
 * workspace Dockerfile and delivered to the cluster, `nx run math:deploy`, the samples, what
 * `kubectl get` shows, `nx run math:undeploy`, and the single-file installer. Runs against the
 * current kubeconfig's cluster and fails, saying why, when it has no Ready node.
 */

/** What every sample in deploy/math/samples must show once reconciled (besides Ready=True). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'Number/number-sample': { fizzBuzz: 'FizzBuzz', isSquare: false },
  'Tuple/tuple-sample': { count: 3, allSquares: true },
  'Fermat/fermat-5': { twoSquaresFound: true, witness: '1^2 + 2^2', prime: true },
  'Fermat/fermat-13': { twoSquaresFound: true, witness: '2^2 + 3^2', prime: true },
  'Fermat/fermat-7': { twoSquaresFound: false, prime: true },
};

describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'math',
  expectSamples: Object.keys(EXPECTED),
  samplesTitle: 'every sample Number, Tuple and Fermat becomes Ready with the right status',
  async checkSample(sample, e2e) {
    const key = `${sample.kind}/${sample.metadata.name}`;
    expectReady(sample);
    expect(sample.status, key).toMatchObject(EXPECTED[key]!);
    if (EXPECTED[key]!.witness === undefined) expect(sample.status, key).not.toHaveProperty('witness');
    // The Tuple's children: one Number per entry, each Ready.
    if (sample.kind === 'Tuple')
      for (const i of [0, 1, 2])
        expectReady(await e2e.get({ apiVersion: sample.apiVersion, kind: 'Number' }, `${sample.metadata.name}-${i}`));
  },
  installer: true,
});
