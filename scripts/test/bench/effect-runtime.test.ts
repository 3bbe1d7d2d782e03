import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { runWorker } from "../../bench/effect-runtime.js"
import { measure, workerArgs } from "../../bench/effect-runtime/measure.js"

describe("measure", () => {
  it("warms each workload up with a tenth of its operations, then keeps its cheapest round", async () => {
    const runs: Array<number> = []
    let round = 0
    const results = await measure(
      [
        {
          name: "spin",
          operations: 50,
          run: async (n) => {
            runs.push(n)
            round++
            // The second measured round spins ten times longer an operation than the others.
            const perOperationMicros = round === 3 ? 400 : 40
            const start = process.cpuUsage()
            while (process.cpuUsage(start).user < n * perOperationMicros);
          },
        },
      ],
      3,
    )
    expect(runs).toEqual([5, 50, 50, 50])
    expect(results.map((r) => r.workload)).toEqual(["spin"])
    const [spin] = results
    expect(spin?.microsPerOperation).toBeGreaterThanOrEqual(40)
    expect(spin?.microsPerOperation).toBeLessThan(400)
  })
})

describe("workerArgs", () => {
  it("reads rounds and scale, 3 and 1 when absent", () => {
    expect(workerArgs([])).toEqual({ rounds: 3, scale: 1 })
    expect(workerArgs(["2", "0.5"])).toEqual({ rounds: 2, scale: 0.5 })
  })

  it("names the argument and its value when it cannot be used", () => {
    expect(() => workerArgs(["0"])).toThrow('rounds: "0" must be 1 or more')
    expect(() => workerArgs(["2", "x"])).toThrow('scale: "x" must be above 0')
  })
})

describe("the Effect 3 and Effect 4 workers", () => {
  it.effect("measure the same workloads, each a positive cost", () =>
    Effect.gen(function* () {
      const three = yield* runWorker("3", 1, 0.01)
      const four = yield* runWorker("4", 1, 0.01)
      expect(three.map((r) => r.workload)).toEqual(four.map((r) => r.workload))
      expect(three.map((r) => r.workload)).toContain("entity_message")
      for (const result of [...three, ...four]) expect(result.microsPerOperation).toBeGreaterThan(0)
    }),
  )
})
