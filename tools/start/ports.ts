import { createServer, type Server } from 'node:net';

/** True for the error Node raises when a listen address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/**
 * Whether `port` can be listened on right now. Used to refuse to start (with a message naming
 * the flag) before anything is half up; the real listen may still lose a race, and callers turn
 * its EADDRINUSE into the same message.
 */
export async function isPortFree(port: number, host: string): Promise<boolean> {
  const server = createServer();
  try {
    await listen(server, port, host);
    return true;
  } catch (error) {
    if (isAddressInUse(error)) return false;
    throw error;
  } finally {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  }
}

/** A port the OS says is free now (listen on 0, read it, close). */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  await listen(server, 0, host);
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no address for a listening socket');
  return address.port;
}

export function listen(server: Pick<Server, 'once' | 'off' | 'listen'>, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
