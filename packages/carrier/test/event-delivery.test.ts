import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Random } from "effect"
import { drawDeliveryDelays } from "../src/event-delivery.js"

describe("simulated event delivery", () => {
  it.effect.prop(
    "an event goes out once or twice, at once unless reordering, within the window when reordering",
    {
      seed: FastCheck.integer(),
      duplicateRate: FastCheck.double({ min: 0, max: 1, noNaN: true }),
      reorder: FastCheck.boolean(),
      reorderWindowMs: FastCheck.nat(10_000),
    },
    ({ seed, ...config }) =>
      Effect.gen(function* () {
        const plans = yield* Effect.replicateEffect(drawDeliveryDelays(Random.make(seed), config), 2_000)
        for (const delays of plans) {
          expect(delays.length === 1 || delays.length === 2).toBe(true)
          for (const delay of delays) {
            if (config.reorder) expect(delay >= 0 && delay <= config.reorderWindowMs).toBe(true)
            else expect(delay).toBe(0)
          }
        }
        const duplicated = plans.filter((delays) => delays.length === 2).length / plans.length
        expect(Math.abs(duplicated - config.duplicateRate)).toBeLessThan(0.05)
      }),
    { fastCheck: { numRuns: 50 } },
  )

  it.effect("rate 0 never duplicates and rate 1 always does", () =>
    Effect.gen(function* () {
      const rng = Random.make(1)
      const never = yield* Effect.replicateEffect(
        drawDeliveryDelays(rng, { duplicateRate: 0, reorder: false, reorderWindowMs: 0 }),
        500,
      )
      const always = yield* Effect.replicateEffect(
        drawDeliveryDelays(rng, { duplicateRate: 1, reorder: false, reorderWindowMs: 0 }),
        500,
      )
      expect(new Set(never.map((delays) => delays.length))).toEqual(new Set([1]))
      expect(new Set(always.map((delays) => delays.length))).toEqual(new Set([2]))
    }),
  )
})
