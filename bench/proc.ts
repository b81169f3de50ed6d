/**
 * What the benchmarks read of other processes from Linux's /proc: who listens on a port, a
 * process's resident set, and the CPU time of a process's descendants or of given processes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, readdir, readlink } from 'node:fs/promises';

/** The process listening on this local TCP port, or null. */
export async function listenerPid(port: number): Promise<number | null> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is f[1] (ip:port), st f[3] (0A: listening), inode f[9].
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A' && f[9]) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (!inodes.size) return null;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return Number(pid);
    }
  }
  return null;
}

/** A process's resident set in bytes, or null once it is gone. */
export async function rssOf(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : null;
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds of each descendant of `root`, summed by command name (live ones, and the reaped children they waited for). */
export function descendantsCpu(root: number): Record<string, number> {
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const comm = text.slice(text.indexOf('(') + 1, close);
      const f = text.slice(close + 2).split(' ');
      // Fields after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15), counted from state = 1.
      stats.set(Number(entry), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // The process ended while we read.
    }
  }
  const under = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid, hops = 0; p && hops < 64; p = stats.get(p)?.ppid, hops++) if (p === root) return true;
    return false;
  };
  const out: Record<string, number> = {};
  for (const [pid, s] of stats) {
    if (!under(pid)) continue;
    const name = /^postgres|^postmaster/.test(s.comm) ? 'postgres' : /^temporal/.test(s.comm) ? 'temporal' : s.comm;
    out[name] = (out[name] ?? 0) + s.ticks / TICK;
  }
  return out;
}

/** CPU seconds each of these processes has used so far (its own threads; none for one that has ended). */
export function processCpuSeconds(pids: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out[pid] = (Number(f[11]) + Number(f[12])) / TICK;
    } catch {
      // The process has ended.
    }
  }
  return out;
}
