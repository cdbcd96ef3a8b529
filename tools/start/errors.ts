/**
 * Errors `npm start` reports to the user. Each carries a stable `code` so main.ts (and tests)
 * can tell a bad flag from a busy port from a failed step without matching message text, and a
 * message written to be printed as-is: what went wrong and what to type instead.
 */
export class StartError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A flag or environment variable that cannot be used; main.ts prints it with the usage text. */
export class UsageError extends StartError {
  constructor(message: string) {
    super('Usage', message);
  }
}

/** A port we must listen on is taken: names the port, what needed it, and how to pick another. */
export class PortInUseError extends StartError {
  constructor(
    readonly port: number,
    readonly what: string,
    readonly flag: string,
    readonly env?: string,
  ) {
    super(
      'PortInUse',
      `port ${port} (${what}) is already in use — is another \`npm start\` running? ` +
        `Stop it, or choose another port with ${flag} <port>${env ? ` (or ${env}=<port>)` : ''}.`,
    );
  }
}

/** A startup step did not finish in time; names the step and what it was waiting for. */
export class StepTimeoutError extends StartError {
  constructor(step: string, waitingFor: string, timeoutMs: number) {
    super('StepTimeout', `${step}: still waiting for ${waitingFor} after ${Math.round(timeoutMs / 1000)} s`);
  }
}
