import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { runOpenLoop, sendOffsets } from "../../bench/lib/open-loop.js"
import { runs } from "../bench-runs.js"

describe("sendOffsets", () => {
  it("spaces rate × seconds sends evenly from the start", () => {
    expect(sendOffsets(10, 0.5)).toEqual([0, 100, 200, 300, 400])
    expect(sendOffsets(4, 1)).toEqual([0, 250, 500, 750])
  })

  it.prop(
    "gives floor(rate × seconds) sends, 1000/rate ms apart, all inside the phase",
    [fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 30 })],
    ([rate, seconds]) => {
      const offsets = sendOffsets(rate, seconds)
      expect(offsets).toHaveLength(Math.floor(rate * seconds))
      const off = offsets.filter((offset, i) => Math.abs(offset - (i * 1000) / rate) > 1e-9 || offset >= seconds * 1000)
      expect(off).toEqual([])
    },
    runs(),
  )
})

describe("runOpenLoop", () => {
  it("starts the next send on schedule while an earlier one is still waiting for its reply", async () => {
    const started: Array<number> = []
    let releaseFirst: () => void = () => undefined
    const firstReply = new Promise<void>((resolve) => (releaseFirst = resolve))
    const run = runOpenLoop([0, 20, 40], async (i) => {
      started.push(i)
      if (i === 0) await firstReply
      if (i === 2) releaseFirst()
      return i * 10
    })
    const { results, maxLagMs } = await run
    expect(started).toEqual([0, 1, 2])
    expect(results).toEqual([0, 10, 20])
    expect(maxLagMs).toBeGreaterThanOrEqual(0)
  })

  it("starts nothing more once aborted, and still waits for what was started", async () => {
    const controller = new AbortController()
    const { results } = await runOpenLoop(
      [0, 10, 20, 30],
      async (i) => {
        if (i === 1) controller.abort()
        return i
      },
      controller.signal,
    )
    expect(results).toEqual([0, 1])
  })
})
