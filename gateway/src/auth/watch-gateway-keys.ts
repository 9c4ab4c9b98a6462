/**
 * A running gateway follows its key folder: the files are looked at every `intervalMs` (their
 * identity, size and mtime), and a changed folder is loaded again. A folder that does not load
 * (a key being copied in, a wrong permission) leaves the last good set in force — its keys are
 * still published and valid — and is reported through `onError`, once per change.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_KEY_FILES, loadGatewayKeySet, type GatewayKeySet } from './gateway-key-set';

/** Options of {@link watchGatewayKeys}. */
export interface WatchGatewayKeysOptions {
  /** How often the folder is looked at, ms. Default 1000. */
  readonly intervalMs?: number;
  /** A new set is in force. */
  readonly onChange?: (set: GatewayKeySet) => void;
  /** A changed folder did not load; the last good set stays. */
  readonly onError?: (error: Error) => void;
}

/** The key set in force, following the folder. */
export interface GatewayKeyWatcher {
  current(): GatewayKeySet;
  /** Looks at the folder now (the timer does it every `intervalMs`). */
  check(): void;
  stop(): void;
}

function folderSignature(dir: string): string {
  return [GATEWAY_KEY_FILES.current, GATEWAY_KEY_FILES.next, GATEWAY_KEY_FILES.previous]
    .map((name) => {
      try {
        const s = statSync(path.join(dir, name));
        return `${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/** Loads `dir` (throws as `loadGatewayKeySet` when it does not load now) and follows it. */
export function watchGatewayKeys(dir: string, options: WatchGatewayKeysOptions = {}): GatewayKeyWatcher {
  let set = loadGatewayKeySet(dir);
  let seen = folderSignature(dir);
  const check = (): void => {
    const now = folderSignature(dir);
    if (now === seen) return;
    seen = now;
    try {
      set = loadGatewayKeySet(dir, { create: false });
      options.onChange?.(set);
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const timer = setInterval(check, options.intervalMs ?? 1000);
  timer.unref();
  return {
    current: () => set,
    check,
    stop: () => clearInterval(timer),
  };
}
