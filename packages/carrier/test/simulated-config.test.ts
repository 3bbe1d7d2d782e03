import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck } from "effect"
import { defaultSimulatedCarrierConfig, resolveSimulatedCarrierConfig } from "../src/simulated-config.js"
import type { SimulatedCarrierConfig } from "../src/simulated-config.js"

const rejection = (overrides: Partial<SimulatedCarrierConfig>) =>
  Either.match(resolveSimulatedCarrierConfig(overrides), { onLeft: (error) => error, onRight: () => undefined })

describe("simulated carrier config", () => {
  it("the demo defaults: every call answered by a human, ringing 2 to 4 s, talking 1 to 3 min, clean delivery", () => {
    expect(resolveSimulatedCarrierConfig()).toEqual(Either.right(defaultSimulatedCarrierConfig))
    const d = defaultSimulatedCarrierConfig
    expect([d.human, d.machine, d.noAnswer, d.busy, d.disconnected]).toEqual([1, 0, 0, 0, 0])
    expect([d.ringMs, d.talkMs, d.amdAccuracy, d.duplicateRate, d.reorder]).toEqual([
      { min: 2_000, max: 4_000 },
      { min: 60_000, max: 180_000 },
      1,
      0,
      false,
    ])
  })

  it.prop(
    "valid overrides replace the defaults, and fields given as undefined keep them",
    {
      seed: FastCheck.integer(),
      machine: FastCheck.nat(10),
      amdAccuracy: FastCheck.double({ min: 0, max: 1, noNaN: true }),
      reorder: FastCheck.boolean(),
    },
    (overrides) => {
      const resolved = resolveSimulatedCarrierConfig({ ...overrides, talkMs: undefined })
      expect(resolved).toEqual(Either.right({ ...defaultSimulatedCarrierConfig, ...overrides }))
    },
  )

  it.prop(
    "a rate outside 0..1 is refused, naming the field and the value",
    {
      field: FastCheck.constantFrom<"amdAccuracy" | "duplicateRate">("amdAccuracy", "duplicateRate"),
      value: FastCheck.oneof(
        FastCheck.double({ min: 1.0001, max: 1e6, noNaN: true }),
        FastCheck.double({ max: -0.0001, min: -1e6, noNaN: true }),
        FastCheck.constant(Number.NaN),
      ),
    },
    ({ field, value }) => {
      const error = rejection({ [field]: value })
      expect(error).toMatchObject({ _tag: "InvalidSimulatedCarrierConfig", field, value: JSON.stringify(value) })
      expect(error?.message).toContain(field)
    },
  )

  it.prop(
    "a range whose min is above its max is refused, naming it",
    {
      field: FastCheck.constantFrom<"ringMs" | "greetingMs" | "talkMs">("ringMs", "greetingMs", "talkMs"),
      max: FastCheck.nat(100_000),
      gap: FastCheck.integer({ min: 1, max: 1_000 }),
    },
    ({ field, max, gap }) => {
      expect(rejection({ [field]: { min: max + gap, max } })).toMatchObject({ field })
    },
  )

  it("outcome weights may not all be zero, nor negative", () => {
    expect(rejection({ human: 0 })).toMatchObject({ field: "human" })
    expect(rejection({ busy: -1 })).toMatchObject({ field: "busy", value: "-1" })
    expect(rejection({ human: 0, busy: 2 })).toBeUndefined()
  })

  it("durations may not be negative and the id prefix may not be empty", () => {
    expect(rejection({ noAnswerAfterMs: -5 })).toMatchObject({ field: "noAnswerAfterMs", value: "-5" })
    expect(rejection({ speakMsPerChar: -1 })).toMatchObject({ field: "speakMsPerChar", value: "-1" })
    expect(rejection({ idPrefix: "" })).toMatchObject({ field: "idPrefix" })
  })
})
