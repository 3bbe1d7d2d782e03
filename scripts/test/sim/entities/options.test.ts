import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { parseEntityOptions } from "../../../sim/entities/options.js"

const message = (argv: ReadonlyArray<string>) =>
  Either.match(parseEntityOptions(argv), { onLeft: (e) => e.message, onRight: () => "" })

describe("pnpm sim --entities options", () => {
  it("defaults to the model's day on an hour's shift, the three strategies the entities have, 1 s steps", () => {
    const options = Either.getOrThrow(parseEntityOptions([]))
    expect(options.sim.agents).toBe(25)
    expect(options.sim.shiftMs).toBe(3_600_000)
    expect(options.sim.carrier.human).toBe(0.2)
    expect(options.strategies).toEqual(["progressive", "fixed-2.0", "ours"])
    expect(options.stepMs).toBe(1_000)
  })

  it("reads the model's flags and a list of strategies, in either flag form", () => {
    const options = Either.getOrThrow(
      parseEntityOptions(["--agents", "5", "--strategies=ours,progressive", "--hours", "0.5", "--step", "0.25"]),
    )
    expect(options.sim.agents).toBe(5)
    expect(options.sim.shiftMs).toBe(1_800_000)
    expect(options.strategies).toEqual(["progressive", "ours"])
    expect(options.stepMs).toBe(250)
    expect(Either.getOrThrow(parseEntityOptions(["--strategies", "fixed-2.0"])).strategies).toEqual(["fixed-2.0"])
  })

  it("names the flag and the value it refuses", () => {
    expect(message(["--strategies", "vicidial"])).toContain('--strategies: "vicidial" has no entity implementation')
    expect(message(["--strategies", "ours,fastest"])).toContain('"fastest" is unknown')
    expect(message(["--strategies"])).toContain("--strategies: needs a value")
    expect(message(["--tick", "2"])).toContain("--tick is not a flag")
    expect(message(["--step", "0"])).toContain("--step")
    expect(message(["--agents", "0"])).toContain("--agents")
  })
})
