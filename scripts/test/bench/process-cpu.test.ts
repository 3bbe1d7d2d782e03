import { describe, expect, it } from "@effect/vitest"
import { parseCpuMs, processCpuMs } from "../../bench/lib/process-cpu.js"

describe("parseCpuMs", () => {
  it("adds utime and stime (in 1/100 s) of a /proc/<pid>/stat line", () => {
    const stat = "14747 (cat) R 14744 14744 23883 0 -1 4194304 102 0 0 0 250 37 0 0 20 0 1 0 176740 3133440 411"
    expect(parseCpuMs(stat)).toBe(2_870)
  })

  it("counts the fields after the command name, which may hold spaces and parentheses", () => {
    const stat = "99 (node (tsx) main) S 1 99 99 0 -1 4194560 5000 0 0 0 1200 300 0 0 20 0 11 0 5000 1000 100"
    expect(parseCpuMs(stat)).toBe(15_000)
  })

  it("has nothing to say about a line that is cut short", () => {
    expect(parseCpuMs("99 (node) S 1 99")).toBeUndefined()
  })
})

describe("processCpuMs", () => {
  it("grows by the CPU time this process spends", () => {
    const before = processCpuMs(process.pid) ?? Number.NaN
    const start = process.cpuUsage()
    let spin = 0
    while (process.cpuUsage(start).user < 200_000) spin++
    const after = processCpuMs(process.pid) ?? Number.NaN
    expect(spin).toBeGreaterThan(0)
    expect(after - before).toBeGreaterThanOrEqual(150)
  })

  it("is undefined for a process that does not exist", () => {
    expect(processCpuMs(2 ** 22 + 12_345)).toBeUndefined()
  })
})
