import { AgentView } from "@ringmaster/protocol"
import { Arbitrary, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { phoneLine } from "../../src/agent/phone-line.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 100) }
const agentView = Arbitrary.make(AgentView)

describe("the agent's phone line on the console", () => {
  it("is shown exactly when the agent has a leg, and says whether calls can come through", () => {
    fc.assert(
      fc.property(agentView, fc.integer({ min: 0, max: 2 ** 40 }), (agent, now) => {
        const line = phoneLine(agent, now)
        if (agent.leg === null) {
          expect(line).toBeNull()
          return
        }
        expect(line?.tone).toBe({ Up: "ok", Dialing: "pending", Down: "down" }[agent.leg.phase])
        expect(line?.text.startsWith("Phone line") || line?.text.startsWith("Calling your phone line")).toBe(true)
      }),
      runs,
    )
  })

  it("counts down to the next dial of a dropped line, in whole seconds, then says it is being dialled", () => {
    const dropped = (retryAt: number | null) =>
      phoneLine(
        Schema.decodeUnknownSync(AgentView)({
          agentId: "a-1",
          name: "Ada",
          campaignId: null,
          state: "Online",
          stateSince: 0,
          pendingOffer: null,
          call: null,
          workingLeadId: null,
          leg: { phase: "Down", retryAt },
        }),
        10_000,
      )?.text
    expect(dropped(18_000)).toBe("Phone line dropped: calling it again in 8 s")
    expect(dropped(10_001)).toBe("Phone line dropped: calling it again in 1 s")
    expect(dropped(10_000)).toBe("Phone line dropped: calling it again now")
    expect(dropped(9_000)).toBe("Phone line dropped: calling it again now")
    expect(dropped(null)).toBe("Phone line dropped: calling it again now")
  })
})
