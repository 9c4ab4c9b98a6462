/**
 * Key files on disk: created once, atomically, never overwritten; private keys readable by the
 * owner only. Several processes may start at once (gateway, `pactum token`), so creation must
 * not race: the first to link its file wins and the others read it.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';
import { displayPath } from '../config/paths';
import { isRecord } from './shape';

/**
 * Writes `content` to `file` unless it already exists. Returns true when this call created it.
 * The file appears complete or not at all (written to a temporary name, then hard-linked).
 */
export function createFileOnce(file: string, content: string, mode: number): boolean {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode, flag: 'wx' });
  chmodSync(tmp, mode); // the umask may have narrowed or the platform widened it
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

/** Replaces `file` atomically (public material only, e.g. a JWKS that must track the keys). */
export function replaceFile(file: string, content: string, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode, flag: 'wx' });
  chmodSync(tmp, mode);
  // rename is atomic on one filesystem: readers see the old or the new set, never half of one.
  renameSync(tmp, file);
}

/**
 * Reads a private JWK file, refusing one that others may read (fail closed rather than sign
 * with a key that may have leaked).
 */
export function readPrivateJwkFile(file: string): Record<string, unknown> {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (cause) {
    throw new ConfigError('key_missing', `${displayPath(file)}: private key file is missing`, { cause });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new ConfigError('key_permissions', `${displayPath(file)}: private key is readable by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  return readJwkFile(file);
}

/** Reads a JWK file (public or private) as a plain object. */
export function readJwkFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError('key_unreadable', `${displayPath(file)}: not a readable JSON Web Key`, { cause });
  }
  if (!isRecord(value) || typeof value.kty !== 'string') throw new ConfigError('key_unreadable', `${displayPath(file)}: not a JSON Web Key`);
  return value;
}

/** The private key of a JWK file (read as {@link readPrivateJwkFile}: owner-only), as a KeyObject. */
export function readPrivateKeyFile(file: string): KeyObject {
  try {
    return createPrivateKey({ key: { ...readPrivateJwkFile(file) }, format: 'jwk' });
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError('key_unreadable', `${displayPath(file)}: not a usable private key`, { cause });
  }
}
