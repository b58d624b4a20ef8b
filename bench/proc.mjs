// CPU accounting from Linux /proc, shared by run.mjs and mcp/targets.mjs (no side effects on import).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime (fields 14, 15)
}
