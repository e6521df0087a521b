/** Figures of a live process from /proc (Linux): what the memory benchmarks sample while a child runs. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

export type ProcessFigures = { hwmKb: number; cpuS: number; command: string };

/** Peak resident memory (VmHWM), CPU seconds (user + sys) and command line; undefined once the process is gone. */
export function processFigures(pid: number): ProcessFigures | undefined {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { hwmKb: Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0), cpuS: (Number(stat[11]) + Number(stat[12])) / clockTicks, command };
  } catch {
    return undefined;
  }
}

/** The most of each figure over two samples of one process (an exited, unreaped process reads as 0 kB). */
export function mostOf(a: ProcessFigures | undefined, b: ProcessFigures): ProcessFigures {
  return { command: b.command || (a?.command ?? ''), hwmKb: Math.max(b.hwmKb, a?.hwmKb ?? 0), cpuS: Math.max(b.cpuS, a?.cpuS ?? 0) };
}
