/**
 * Policy reload without restart: the directory is polled for a new version (hash of
 * the files); a new version is validated and compiled, then swapped in atomically. An
 * invalid change is refused, logged and counted; the last good policy stays in force.
 */
import { loadPolicy, type LoadedPolicy, type LoadPolicyOptions } from './load-policy';
import { policyVersion } from './read-policy-files';

/** Options of {@link watchPolicy}. */
export interface WatchPolicyOptions extends Omit<LoadPolicyOptions, 'dir'> {
  /** Poll interval; default 1000 ms. 0 disables the timer (call `checkNow()` yourself). */
  readonly intervalMs?: number;
  /** Called with a refused change (the error names file and line). Default: console.error. */
  readonly onError?: (error: Error) => void;
  /** Incremented on every refused change (e.g. a prom-client Counter's `inc`). */
  readonly onRejected?: () => void;
}

/** A running watch. */
export interface PolicyWatch {
  /** The policy in force (the last good one). */
  current(): LoadedPolicy;
  /** Checks the directory now; returns `true` when a new policy was swapped in. */
  checkNow(): boolean;
  /**
   * Rechecks the policy against another supergraph (a swapped-in one, `pactum dev`) and, if it is
   * valid there, puts it in force and checks every later change against that supergraph.
   * @throws PolicyError when the policy is not valid against it (nothing changes).
   */
  adoptSupergraph(supergraphSdl: string): LoadedPolicy;
  /** How many changes were refused since the watch started. */
  readonly rejectedCount: number;
  stop(): void;
}

/**
 * Loads the policy in `dir` (throwing if it is invalid: the gateway must not start) and
 * watches it; `onChange` receives each new policy after it is in force.
 */
export function watchPolicy(dir: string, onChange: (policy: LoadedPolicy) => void, options: WatchPolicyOptions): PolicyWatch {
  let supergraphSdl = options.supergraphSdl;
  let current = loadPolicy({ ...options, supergraphSdl, dir });
  let lastSeen = current.version;
  let rejected = 0;
  const onError = options.onError ?? ((e: Error) => console.error(`policy reload refused; keeping version ${current.version}: ${e.message}`));

  const checkNow = (): boolean => {
    let version: string;
    try {
      version = policyVersion(dir);
    } catch (error) {
      // A file vanished mid-edit: try again on the next tick rather than refusing.
      if (lastSeen !== 'unreadable') onError(error as Error);
      lastSeen = 'unreadable';
      return false;
    }
    if (version === lastSeen) return false;
    lastSeen = version;
    try {
      const next = loadPolicy({ ...options, supergraphSdl, dir });
      current = next;
      onChange(next);
      return true;
    } catch (error) {
      rejected++;
      options.onRejected?.();
      onError(error as Error);
      return false;
    }
  };

  const interval = options.intervalMs ?? 1000;
  const timer = interval > 0 ? setInterval(checkNow, interval) : undefined;
  timer?.unref();
  return {
    current: () => current,
    checkNow,
    adoptSupergraph(sdl) {
      const next = loadPolicy({ ...options, supergraphSdl: sdl, dir });
      supergraphSdl = sdl;
      current = next;
      onChange(next);
      return next;
    },
    get rejectedCount() {
      return rejected;
    },
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
