import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { agentsHeldAtOnce, checkAgentsForTalk, metricNumber, talkSuffix } from "../../bench/lib/talk-time.js"
import { runs } from "../bench-runs.js"

describe("talkSuffix", () => {
  it("leaves the metrics of agents hanging up at once as they were, and names the talk time otherwise", () => {
    expect(talkSuffix(0)).toBe("")
    expect(talkSuffix(60)).toBe("_talk_60")
    expect(talkSuffix(2.5)).toBe("_talk_2_5")
    expect(metricNumber(100)).toBe("100")
  })
})

describe("agentsHeldAtOnce", () => {
  it("needs every lead of the phase when the talk outlasts it, and none when agents hang up at once", () => {
    expect(agentsHeldAtOnce(100, 10, 60)).toBe(1000)
    expect(agentsHeldAtOnce(10, 10, 60)).toBe(100)
    expect(agentsHeldAtOnce(100, 10, 0)).toBe(0)
  })

  it("needs the leads of one talk time when calls end within the phase", () => {
    expect(agentsHeldAtOnce(10, 60, 5)).toBe(51)
  })

  it.prop(
    "never needs more agents than the phase has leads, nor fewer as the talk grows",
    [fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 120 })],
    ([rate, seconds, talk]) => {
      const needed = agentsHeldAtOnce(rate, seconds, talk)
      expect(needed).toBeLessThanOrEqual(rate * seconds)
      expect(agentsHeldAtOnce(rate, seconds, talk + 1)).toBeGreaterThanOrEqual(needed)
    },
    runs(),
  )
})

describe("checkAgentsForTalk", () => {
  const phases = [
    { rate: 10, seconds: 10, warmup: false },
    { rate: 100, seconds: 10, warmup: false },
  ]

  it("accepts enough agents, and any number when agents hang up at once", () => {
    expect(Either.isRight(checkAgentsForTalk({ agents: 1000, talkSeconds: 60, stretches: phases }))).toBe(true)
    expect(Either.isRight(checkAgentsForTalk({ agents: 1, talkSeconds: 0, stretches: phases }))).toBe(true)
  })

  it("refuses too few agents, naming the flags, their values and the agents needed", () => {
    const checked = checkAgentsForTalk({ agents: 999, talkSeconds: 60, stretches: phases })
    if (Either.isRight(checked)) throw new Error("999 agents were accepted for 1000 leads on calls at once")
    expect(checked.left.field).toBe("--agents")
    expect(checked.left.value).toBe("999")
    for (const part of ["--agents 999", "--talk 60", "100 leads/s of --rates", "--seconds 10", "1000"]) {
      expect(checked.left.message).toContain(part)
    }
  })

  it("checks the warm-up too", () => {
    const stretches = [{ rate: 100, seconds: 3, warmup: true }]
    const checked = checkAgentsForTalk({ agents: 200, talkSeconds: 60, stretches })
    if (Either.isRight(checked)) throw new Error("200 agents were accepted for a warm-up of 300 leads")
    expect(checked.left.message).toContain("--warmup 3")
    expect(checked.left.message).toContain("300")
  })
})
