/**
 * The dev loop's gateway half (`pactum dev`, `PACTUM_SUPERGRAPH_WATCH=1`): polls the supergraph
 * file; a new content is checked against the policy, loaded as a whole new gateway, and only then
 * swapped in, with the policy put in force against it. Anything that fails (unreadable file, a
 * supergraph that does not parse or plan, a policy that is invalid against it) is refused and
 * logged: the last good supergraph and policy keep serving, as with a refused policy reload.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface SupergraphWatchOptions {
  readonly file: string;
  /** The SDL being served now. */
  readonly current: string;
  /** Poll interval; 0 disables the timer (call `checkNow()`). */
  readonly intervalMs: number;
  /** Throws when the policy is not valid against `sdl` (PolicyError). */
  checkPolicy(sdl: string): void;
  /** Loads and swaps in the new supergraph; throws (and changes nothing) when it cannot be loaded. */
  swap(sdl: string): Promise<void>;
  /** Puts the policy in force against the swapped-in supergraph. */
  adoptPolicy(sdl: string): void;
  onSwapped(version: string): void;
  onRefused(version: string, error: Error): void;
}

export interface SupergraphWatch {
  /** Checks the file now: `unchanged`, `swapped` or `refused`. */
  checkNow(): Promise<'unchanged' | 'swapped' | 'refused'>;
  stop(): void;
}

/** A short, stable name for a supergraph version in logs. */
export const supergraphVersion = (sdl: string): string => createHash('sha256').update(sdl).digest('hex').slice(0, 16);

export function watchSupergraph(options: SupergraphWatchOptions): SupergraphWatch {
  let lastSeen = options.current;
  let running: Promise<'unchanged' | 'swapped' | 'refused'> | undefined;

  const check = async (): Promise<'unchanged' | 'swapped' | 'refused'> => {
    let sdl: string;
    try {
      sdl = fs.readFileSync(options.file, 'utf8');
    } catch (err) {
      if (lastSeen !== '\0unreadable') options.onRefused('unreadable', err as Error);
      lastSeen = '\0unreadable';
      return 'refused';
    }
    if (sdl === lastSeen) return 'unchanged';
    lastSeen = sdl;
    const version = supergraphVersion(sdl);
    try {
      options.checkPolicy(sdl);
      await options.swap(sdl);
      options.adoptPolicy(sdl);
      options.onSwapped(version);
      return 'swapped';
    } catch (err) {
      options.onRefused(version, err as Error);
      return 'refused';
    }
  };

  // One check at a time: a slow planner build must not overlap the next poll.
  const checkNow = (): Promise<'unchanged' | 'swapped' | 'refused'> => {
    running ??= check().finally(() => (running = undefined));
    return running;
  };
  const timer = options.intervalMs > 0 ? setInterval(() => void checkNow(), options.intervalMs) : undefined;
  timer?.unref();
  return { checkNow, stop: () => timer && clearInterval(timer) };
}
