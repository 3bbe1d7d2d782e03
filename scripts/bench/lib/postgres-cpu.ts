import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { processCpuMs } from "./process-cpu.js"

/**
 * CPU time (user + system) used so far by every PostgreSQL process of this machine (`postgres` in <proc>/<pid>/comm),
 * in ms: the database's share of the machine, when it runs beside the bench. A backend that exits takes its time
 * with it, so compare two readings only across a window in which the pool's connections stay open.
 */
export const postgresCpuMs = (proc = "/proc"): number => {
  let total = 0
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue
    let name: string
    try {
      name = readFileSync(join(proc, entry, "comm"), "utf8").trim()
    } catch {
      continue // the process ended between the listing and the reading
    }
    if (name === "postgres") total += processCpuMs(Number(entry), proc) ?? 0
  }
  return total
}
