/** The public key a test system's gateway signs its audit checkpoints with, for `trail.verify({ checkpointKeys })`. */
import fs from 'node:fs';
import type { JWK } from 'jose';

export function checkpointKeys(fleet: { readonly keys: { readonly gatewayPublicKeyFile: string } }): JWK[] {
  return [JSON.parse(fs.readFileSync(fleet.keys.gatewayPublicKeyFile, 'utf8')) as JWK];
}
