import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { parseSimOptions } from "../../sim/options.js"

describe("pnpm sim options", () => {
  it("defaults to the issue's day: 25 agents, 8 h, 20% live, 2 min talk, 15 s wrap-up", () => {
    const options = Either.getOrThrow(parseSimOptions([]))
    expect(options.agents).toBe(25)
    expect(options.shiftMs).toBe(8 * 3_600_000)
    expect(options.carrier.human).toBe(0.2)
    expect((options.talkMs.min + options.talkMs.max) / 2).toBe(120_000)
    expect((options.wrapMs.min + options.wrapMs.max) / 2).toBe(15_000)
    expect(options.ringTimeoutMs).toBeGreaterThanOrEqual(15_000)
  })

  it("names the flag and the value it refuses", () => {
    const message = (argv: ReadonlyArray<string>) =>
      Either.match(parseSimOptions(argv), { onLeft: (e) => e.message, onRight: () => "" })
    expect(message(["--agents", "0"])).toContain("--agents")
    expect(message(["--ring-timeout", "10"])).toContain('"10"')
    expect(message(["--live", "0.9", "--machine", "0.3"])).toContain("--live: 0.9")
    expect(message(["--ring-max", "30"])).toContain("--ring-max: 30")
    expect(message(["--colour", "red"])).toContain("--colour")
  })
})
