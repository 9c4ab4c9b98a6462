/** Free loopback ports for the processes the bench and the end-to-end tests start. */
import net from 'node:net';

/**
 * A port nothing listens on right now on 127.0.0.1. There is a small window between this
 * answer and the child binding it; the child then fails to start and says so, never silently.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('could not obtain a free port'))));
    });
  });
}
