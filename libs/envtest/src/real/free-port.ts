import { createServer } from 'node:net';

/** Ports this process already handed out: never suggest one twice, even after it was released. */
const handedOut = new Set<number>();

/**
 * Asks the kernel for a free TCP port on host by listening on port 0 and closing again, as
 * controller-runtime's addr.Suggest does. The port can in principle be taken by someone else
 * before our child binds it; a start failure then names the port in the child's log.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen(0, host, () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    if (port && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`freePort: the kernel kept handing out ports already in use by this process on ${host}`);
}
