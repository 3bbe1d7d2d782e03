import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { postgresCpuMs } from "../../bench/lib/postgres-cpu.js"

const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A directory laid out as /proc: one folder per process with its `comm` and `stat`. */
const fakeProc = (processes: ReadonlyArray<{ pid: number; comm: string; utime: number; stime: number }>) => {
  const dir = mkdtempSync(join(tmpdir(), "proc-"))
  dirs.push(dir)
  mkdirSync(join(dir, "self"))
  for (const p of processes) {
    mkdirSync(join(dir, String(p.pid)))
    writeFileSync(join(dir, String(p.pid), "comm"), `${p.comm}\n`)
    writeFileSync(
      join(dir, String(p.pid), "stat"),
      `${p.pid} (${p.comm}) S 1 ${p.pid} ${p.pid} 0 -1 4194560 500 0 0 0 ${p.utime} ${p.stime} 0 0 20 0 1 0 5000 1000 100`,
    )
  }
  return dir
}

describe("postgresCpuMs", () => {
  it("adds the CPU time of the PostgreSQL processes only", () => {
    const proc = fakeProc([
      { pid: 10, comm: "postgres", utime: 120, stime: 30 },
      { pid: 11, comm: "postgres", utime: 7, stime: 3 },
      { pid: 12, comm: "node", utime: 5_000, stime: 900 },
    ])
    expect(postgresCpuMs(proc)).toBe(1_600)
  })

  it("skips a process whose files are gone", () => {
    const proc = fakeProc([{ pid: 10, comm: "postgres", utime: 100, stime: 0 }])
    mkdirSync(join(proc, "13"))
    expect(postgresCpuMs(proc)).toBe(1_000)
  })
})
