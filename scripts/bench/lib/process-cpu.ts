import { readFileSync } from "node:fs"
import { join } from "node:path"

/** Clock ticks per second of /proc/<pid>/stat times: 100 on Linux (USER_HZ), whatever the kernel's HZ. */
const ticksPerSecond = 100

/**
 * CPU time (user + system) a process has used so far, in ms, from the `utime` and `stime` fields of its
 * /proc/<pid>/stat (14th and 15th; the command name in parentheses may contain spaces, so count after it).
 */
export const parseCpuMs = (stat: string): number | undefined => {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  // fields[0] is the state, the 3rd field of the line: utime (14th) is fields[11], stime (15th) fields[12]
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
  return ((utime + stime) * 1000) / ticksPerSecond
}

/**
 * CPU time (user + system) process `pid` has used so far, in ms (10 ms resolution); undefined once it is gone. `proc`
 * is where the processes' folders are.
 */
export const processCpuMs = (pid: number, proc = "/proc"): number | undefined => {
  try {
    return parseCpuMs(readFileSync(join(proc, String(pid), "stat"), "utf8"))
  } catch {
    return undefined
  }
}
