import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Random } from "effect"
import { defaultSimulatedCarrierConfig } from "../src/simulated-config.js"
import type { SimulatedOutcome } from "../src/simulated-config.js"
import { drawAmdResult, drawMs, drawOutcome, planOutboundCall, ringTimeoutMs } from "../src/simulated-plan.js"

const outcomes: ReadonlyArray<SimulatedOutcome> = ["human", "machine", "noAnswer", "busy", "disconnected"]
const weight = FastCheck.integer({ min: 0, max: 5 })
const weights = FastCheck.record({
  human: weight,
  machine: weight,
  noAnswer: weight,
  busy: weight,
  disconnected: weight,
}).filter((w) => outcomes.some((outcome) => w[outcome] > 0))

const repeat = <A>(times: number, draw: Effect.Effect<A>) => Effect.replicateEffect(draw, times)

describe("simulated call plans", () => {
  it.effect.prop(
    "outcomes are drawn in proportion to their weights, and an outcome of weight 0 never",
    { seed: FastCheck.integer(), w: weights },
    ({ seed, w }) =>
      Effect.gen(function* () {
        const config = { ...defaultSimulatedCarrierConfig, ...w }
        const draws = yield* repeat(2_000, drawOutcome(Random.make(seed), config))
        const total = outcomes.reduce((sum, outcome) => sum + w[outcome], 0)
        for (const outcome of outcomes) {
          const share = draws.filter((drawn) => drawn === outcome).length / draws.length
          if (w[outcome] === 0) expect(share).toBe(0)
          else expect(Math.abs(share - w[outcome] / total)).toBeLessThan(0.05)
        }
      }),
    { fastCheck: { numRuns: 50 } },
  )

  it.effect.prop(
    "AMD is always right at accuracy 1, never right at accuracy 0, and right about `accuracy` of the time between",
    {
      seed: FastCheck.integer(),
      truth: FastCheck.constantFrom<"human" | "machine">("human", "machine"),
      accuracy: FastCheck.double({ min: 0, max: 1, noNaN: true }),
    },
    ({ seed, truth, accuracy }) =>
      Effect.gen(function* () {
        const rng = Random.make(seed)
        expect(new Set(yield* repeat(200, drawAmdResult(rng, truth, 1)))).toEqual(new Set([truth]))
        expect(yield* repeat(200, drawAmdResult(rng, truth, 0))).not.toContain(truth)
        const results = yield* repeat(2_000, drawAmdResult(rng, truth, accuracy))
        const right = results.filter((result) => result === truth).length / results.length
        expect(Math.abs(right - accuracy)).toBeLessThan(0.05)
      }),
    { fastCheck: { numRuns: 50 } },
  )

  it.effect.prop(
    "durations are whole milliseconds within the range, bounds included",
    { seed: FastCheck.integer(), min: FastCheck.nat(100_000), extra: FastCheck.nat(3) },
    ({ seed, min, extra }) =>
      Effect.gen(function* () {
        const draws = yield* repeat(200, drawMs(Random.make(seed), { min, max: min + extra }))
        expect(draws.every((ms) => Number.isInteger(ms) && ms >= min && ms <= min + extra)).toBe(true)
        expect(new Set(draws).size).toBe(extra + 1)
      }),
  )

  it.effect.prop(
    "a plan depends only on the seed, and a forced outcome replaces the drawn one",
    { seed: FastCheck.integer(), w: weights, forced: FastCheck.constantFrom(...outcomes) },
    ({ seed, w, forced }) =>
      Effect.gen(function* () {
        const config = { ...defaultSimulatedCarrierConfig, ...w, amdAccuracy: 1 }
        const plan = yield* planOutboundCall(Random.make(seed), config)
        expect(yield* planOutboundCall(Random.make(seed), config)).toEqual(plan)
        const forcedPlan = yield* planOutboundCall(Random.make(seed), { ...config, amdAccuracy: 1 }, forced)
        expect(forcedPlan).toEqual({
          ...plan,
          outcome: forced,
          amdResult: forced === "machine" ? "machine" : "human",
        })
      }),
  )

  it.prop(
    "the ring timeout is the shorter of the dial's and the carrier's",
    { ringTimeoutSecs: FastCheck.integer({ min: 1, max: 600 }), noAnswerAfterMs: FastCheck.nat(600_000) },
    ({ ringTimeoutSecs, noAnswerAfterMs }) => {
      const timeout = ringTimeoutMs(ringTimeoutSecs, { ...defaultSimulatedCarrierConfig, noAnswerAfterMs })
      expect(timeout).toBe(Math.min(ringTimeoutSecs * 1000, noAnswerAfterMs))
    },
  )
})
