import { createStartLogger } from './log-stream.ts';
import { startDemo } from './demo.ts';
import { StartError, UsageError } from './errors.ts';
import { parseStartOptions, USAGE } from './options.ts';
import { Progress } from './progress.ts';

/**
 * `npm start`: the whole system on this machine in one process. Exit codes: 0 after Ctrl-C or
 * SIGTERM and a clean stop, 1 when starting failed (a port in use, a step that did not finish)
 * or a component failed while running, 2 for bad flags. A second signal exits at once.
 */
async function main(): Promise<number> {
  let options;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env, {
      isTTY: Boolean(process.stderr.isTTY),
      cwd: process.cwd(),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`npm start: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createStartLogger({ level: options.logLevel, format: options.logFormat });
  const progress = new Progress({ color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'] });

  let signalled: string | undefined;
  let onSignal: (signal: string) => void = () => {};
  const signalReceived = new Promise<string>((resolve) => (onSignal = resolve));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalled) {
        process.stderr.write(`\n${signal} again: exiting without waiting for a clean stop\n`);
        process.exit(1);
      }
      signalled = signal;
      onSignal(signal);
    });
  }

  const starting = startDemo(options, { log, progress });
  const first = await Promise.race([
    starting.then((demo) => ({ demo })),
    signalReceived.then((signal) => ({ signal })),
  ]).catch((error: unknown) => ({ error }));
  if ('error' in first) {
    report(first.error);
    return 1;
  }
  if ('signal' in first) {
    // Interrupted while starting: let the start finish or fail, then stop what came up.
    progress.line(`\n${first.signal}: stopping`);
    const demo = await starting.catch(() => undefined);
    await demo?.stop();
    return 0;
  }
  const { demo } = first;
  const outcome = await Promise.race([
    signalReceived.then((signal) => ({ signal })),
    demo.failed.catch((error: unknown) => ({ error })),
  ]);
  if ('error' in outcome) {
    log.error({ component: 'start', err: outcome.error }, 'a component failed; stopping everything');
    await demo.stop();
    report(outcome.error);
    return 1;
  }
  progress.line(`\n${outcome.signal}: stopping the managers, the book servers and the API server`);
  await demo.stop();
  progress.line('stopped');
  return 0;
}

function report(error: unknown): void {
  const message = error instanceof StartError ? error.message : ((error as Error)?.stack ?? String(error));
  process.stderr.write(`\nnpm start: ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    report(error);
    process.exit(1);
  },
);
