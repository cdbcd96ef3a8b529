/** Child process issuing the write floor (see floor.ts), with its requests counted like the manager's. */
import { KubeConfig } from '@kubernetes/client-node';
import { Client } from '@kubeloop/runtime';
import { serve } from './child.ts';
import {
  runFermatFloor,
  runFloor,
  runFooFloor,
  type FermatFloorOptions,
  type FloorOptions,
  type FooFloorOptions,
} from './floor.ts';
import { RequestMeter } from './request-meter.ts';

const kubeconfigPath = process.argv[2];
if (!kubeconfigPath) throw new Error('usage: floor.child.ts <kubeconfig>');
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const client = new Client(kubeConfig, { fieldManager: 'math' });
const meter = new RequestMeter();

serve({
  async run(o: FloorOptions) {
    meter.start();
    meter.reset();
    const result = await runFloor(client, o);
    return { ...result, requests: meter.snapshot() };
  },
  async runFoo(o: FooFloorOptions) {
    meter.start();
    meter.reset();
    const result = await runFooFloor(client, o);
    return { ...result, requests: meter.snapshot() };
  },
  async runFermat(o: FermatFloorOptions) {
    meter.start();
    meter.reset();
    const result = await runFermatFloor(client, o);
    return { ...result, requests: meter.snapshot() };
  },
});
