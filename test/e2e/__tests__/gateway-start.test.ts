/** The gateway process refuses to start on a taken port with one clear line, and leaves nothing open behind it. */
import net from 'node:net';
import { loadGatewayConfig, startGateway } from '@pactum/gateway/src/testing';
import { startFleet, type Fleet } from '../../src/stack';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet();
}, 120_000);
afterAll(async () => fleet?.stop());

test('a taken port: startGateway rejects naming the port and the variable, and a retry on a free port works', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    await expect(startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_GATEWAY_PORT: String(port) }))).rejects.toThrow(
      `port ${port} is already in use (gateway); set PACTUM_GATEWAY_PORT to use another`,
    );
  } finally {
    await new Promise((r) => blocker.close(r));
  }
  // The failed start released the audit trail: a gateway on the same state folder starts and serves.
  const gateway = await startGateway(loadGatewayConfig(fleet.gatewayEnv));
  try {
    const health = await fetch(gateway.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
  } finally {
    await gateway.stop();
  }
}, 120_000);
