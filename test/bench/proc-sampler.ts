/**
 * Reads a process tree's CPU time and memory from /proc, so the bench can charge the gateway
 * (and only the gateway) for what a measured window cost it. Linux only, by design: the figures
 * come from the kernel's own accounting, not from anything the measured process reports.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Kernel clock ticks per second (`getconf CLK_TCK`); 100 on every Linux we run on, read once to be sure. */
export const CLOCK_TICKS_PER_SECOND: number = readClockTicks();

function readClockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** One process's (or, with `tid`, one of its threads') cumulative user + system CPU in clock ticks, or undefined once it is gone. */
function cpuTicksOf(pid: number, tid?: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) … utime(14) stime(15) → indexes 11 and 12 of this slice.
  return Number(fields[11]) + Number(fields[12]);
}

/** The pids of a process and all its descendants (the gateway may run helpers of its own). */
export function processTree(rootPid: number): number[] {
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) {
    const pid = tree[i] as number;
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      } catch {
        // the thread ended between the listing and the read
      }
      for (const child of children.split(' ')) if (child.trim()) tree.push(Number(child));
    }
  }
  return tree;
}

/** User + system CPU milliseconds of a process tree so far. */
export function cpuMillisOfTree(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) ticks += cpuTicksOf(pid) ?? 0;
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A `kB` line of /proc/<pid>/status (VmRSS, VmHWM) in bytes, or undefined. */
function statusBytes(pid: number, key: 'VmRSS' | 'VmHWM'): number | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Resident memory of a process tree now, in bytes. */
export function rssBytesOfTree(rootPid: number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) total += statusBytes(pid, 'VmRSS') ?? 0;
  return total;
}

/** The kernel's lifetime peak RSS (VmHWM) of the root process, in bytes (0 if unreadable). */
export function peakRssBytesSinceStart(pid: number): number {
  return statusBytes(pid, 'VmHWM') ?? 0;
}

/** What a {@link ProcessSampler} saw over its window. */
export interface ProcessSample {
  /** CPU (user + system) the tree used inside the window, in ms. */
  readonly cpuMs: number;
  /**
   * Of that, the root process's main thread (the event loop: JavaScript and its syscalls), in ms.
   * The rest is the other threads: V8's garbage collector and compiler helpers, the libuv pool,
   * and worker threads such as Pactum's audit writer.
   */
  readonly mainThreadCpuMs: number;
  /** Highest RSS of the tree seen by any sample inside the window, in bytes. */
  readonly peakRssBytes: number;
  /** The root's lifetime VmHWM at the end of the window, in bytes. */
  readonly lifetimePeakRssBytes: number;
  /** Wall time of the window in ms. */
  readonly wallMs: number;
}

export interface ProcessSampler {
  /** Ends the window and returns what it cost. */
  stop(): ProcessSample;
}

export interface SamplerOptions {
  /** Sampling period of RSS, ms (default 100). */
  readonly intervalMs?: number;
  /**
   * Count the whole process tree (default false: the root process only). Off by default because
   * `node --import tsx` keeps an esbuild helper process beside every gateway, the same for all
   * variants, which is not the gateway's cost.
   */
  readonly tree?: boolean;
}

/**
 * Starts a measured window over a process (tree): CPU from the difference of two readings
 * (exact, whatever the sampling rate), RSS as the maximum of periodic samples.
 */
export function startProcessSampler(rootPid: number, options: SamplerOptions = {}): ProcessSampler {
  if (!fs.existsSync(`/proc/${rootPid}/stat`)) throw new Error(`process ${rootPid} is not running (no /proc/${rootPid}/stat)`);
  const pids = (): number[] => (options.tree ? processTree(rootPid) : [rootPid]);
  const cpuMs = (): number => (pids().reduce((t, pid) => t + (cpuTicksOf(pid) ?? 0), 0) * 1000) / CLOCK_TICKS_PER_SECOND;
  const rss = (): number => pids().reduce((t, pid) => t + (statusBytes(pid, 'VmRSS') ?? 0), 0);
  const mainMs = (): number => ((cpuTicksOf(rootPid, rootPid) ?? 0) * 1000) / CLOCK_TICKS_PER_SECOND;
  const startedAt = performance.now();
  const startCpu = cpuMs();
  const startMain = mainMs();
  let peak = rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, options.intervalMs ?? 100);
  timer.unref();
  return {
    stop(): ProcessSample {
      clearInterval(timer);
      peak = Math.max(peak, rss());
      return {
        cpuMs: cpuMs() - startCpu,
        mainThreadCpuMs: mainMs() - startMain,
        peakRssBytes: peak,
        lifetimePeakRssBytes: peakRssBytesSinceStart(rootPid),
        wallMs: performance.now() - startedAt,
      };
    },
  };
}
