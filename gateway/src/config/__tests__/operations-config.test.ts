/** `PACTUM_OPERATIONS` and `PACTUM_OPERATIONS_MANIFEST`: the default per environment, and a bad value or manifest stops the start. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { manifestPath } from '@pactum/schema';
import { ConfigError } from '../../errors';
import { loadGatewayConfig } from '../gateway-config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-operations-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('trusted operations configuration', () => {
  it('defaults to any in development and known with NODE_ENV=production, reading the committed manifest', () => {
    const dev = loadGatewayConfig({});
    expect(dev.operations?.mode).toBe('any');
    expect(dev.operations?.manifestFile).toBe(manifestPath);
    expect(dev.operations?.manifest.operations.map((o) => o.name)).toContain('ContainerHitCheck');
    expect(loadGatewayConfig({ NODE_ENV: 'production' }).operations?.mode).toBe('known');
    expect(loadGatewayConfig({ NODE_ENV: 'production', PACTUM_OPERATIONS: 'any' }).operations?.mode).toBe('any');
    expect(loadGatewayConfig({ PACTUM_OPERATIONS: 'ids-only' }).operations?.mode).toBe('ids-only');
  });

  it('an unknown mode is refused naming the variable and the choices', () => {
    expect(() => loadGatewayConfig({ PACTUM_OPERATIONS: 'strict' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ PACTUM_OPERATIONS: 'strict' })).toThrow('PACTUM_OPERATIONS=strict: must be one of any, known, ids-only');
    expect(() => loadGatewayConfig({ PACTUM_OPERATIONS: 'KNOWN' })).toThrow('PACTUM_OPERATIONS=KNOWN');
  });

  it('a missing, malformed or tampered manifest stops the start, in every mode', () => {
    const missing = path.join(dir, 'nope.json');
    expect(() => loadGatewayConfig({ PACTUM_OPERATIONS_MANIFEST: missing })).toThrow(`PACTUM_OPERATIONS_MANIFEST: ${missing}: cannot be read`);
    const garbage = path.join(dir, 'garbage.json');
    fs.writeFileSync(garbage, '{ not json');
    expect(() => loadGatewayConfig({ PACTUM_OPERATIONS_MANIFEST: garbage })).toThrow(`${garbage}: is not valid JSON`);
    // An entry that claims a trusted id for another document.
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { operations: { body: string }[] };
    const first = manifest.operations[0];
    if (first) first.body = '{ containers { number sizeType } }';
    const tampered = path.join(dir, 'tampered.json');
    fs.writeFileSync(tampered, JSON.stringify(manifest));
    for (const mode of ['any', 'known', 'ids-only']) {
      expect(() => loadGatewayConfig({ PACTUM_OPERATIONS: mode, PACTUM_OPERATIONS_MANIFEST: tampered })).toThrow(`${tampered}: operations[0].id: is not the sha256 of the normalised body`);
    }
  });
});
