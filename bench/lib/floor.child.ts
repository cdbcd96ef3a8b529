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

/** CPU seconds (user + system) this process used since `start`: the floor client's own cost. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

serve({
  async run(o: FloorOptions) {
    meter.start();
    meter.reset();
    const cpu = process.cpuUsage();
    const result = await runFloor(client, o);
    return { ...result, requests: meter.snapshot(), cpuSeconds: cpuSecondsSince(cpu) };
  },
  async runFoo(o: FooFloorOptions) {
    meter.start();
    meter.reset();
    const cpu = process.cpuUsage();
    const result = await runFooFloor(client, o);
    return { ...result, requests: meter.snapshot(), cpuSeconds: cpuSecondsSince(cpu) };
  },
  async runFermat(o: FermatFloorOptions) {
    meter.start();
    meter.reset();
    const cpu = process.cpuUsage();
    const result = await runFermatFloor(client, o);
    return { ...result, requests: meter.snapshot(), cpuSeconds: cpuSecondsSince(cpu) };
  },
});
