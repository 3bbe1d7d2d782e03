import { readdirSync, readFileSync } from "node:fs"

/** Resident memory of a process in bytes, from /proc (Linux); undefined once it is gone. */
export const residentBytes = (pid: number): number | undefined => {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match === null ? undefined : Number(match[1]) * 1024
  } catch {
    return undefined
  }
}

/** The pid of the child of this process whose command line contains `needle` (e.g. the server's entry file). */
export const childPid = (needle: string): number | undefined => {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // the parent pid is the 2nd field after the command name in parentheses
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      if (parent !== process.pid) continue
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) return Number(entry)
    } catch {
      // the process ended while we looked
    }
  }
  return undefined
}

/** Samples a process's resident memory every `everyMs` until stopped: the highest sample so far, and at the end. */
export const sampleResident = (
  pid: number,
  everyMs: number,
): { readonly peak: () => number; readonly stop: () => number } => {
  let peak = residentBytes(pid) ?? 0
  const timer = setInterval(() => {
    peak = Math.max(peak, residentBytes(pid) ?? 0)
  }, everyMs)
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, residentBytes(pid) ?? 0)
    },
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on Linux. */
const ticksPerSecond = 100

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux); undefined once gone. */
export const cpuMillis = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // utime and stime are the 12th and 13th fields after the command name in parentheses
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond
  } catch {
    return undefined
  }
}
