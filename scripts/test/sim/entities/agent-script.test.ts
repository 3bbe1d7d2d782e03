import { AgentId, CampaignId, LeadId } from "@ringmaster/domain"
import type { AgentView, ServerMessage } from "@ringmaster/protocol"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { AgentScript } from "../../../sim/entities/agent-script.js"

const ada = AgentId.make("ada")
const grace = AgentId.make("grace")

const snapshot = (
  agentId: AgentId,
  state: AgentView["state"],
  stateSince: number,
  workingLeadId: LeadId | null = null,
): ServerMessage => ({
  _tag: "AgentSnapshot",
  agent: {
    agentId,
    name: agentId,
    campaignId: CampaignId.make("c"),
    state,
    stateSince,
    pendingOffer: null,
    call: null,
    workingLeadId,
    leg: null,
  },
  dispositions: [],
})

/** The agent's console after its call ended: wrap-up on the lead it worked. */
const wrapUp = (agentId: AgentId, since: number) =>
  snapshot(agentId, "WrapUp", since, LeadId.make(`lead-of-${agentId}`))

describe("AgentScript", () => {
  it("records one outcome per wrap-up, its wrap time after the wrap-up began", () => {
    const wraps = [10_000, 20_000]
    const script = new AgentScript(() => wraps.shift() ?? 0)
    script.observe(new Map([[ada, [snapshot(ada, "OnCall", 0), wrapUp(ada, 5_000)]]]))
    // The same wrap-up shown again (another console refresh) does not draw a second wrap time.
    script.observe(new Map([[ada, [wrapUp(ada, 5_000)]]]))
    expect(script.working).toBe(1)
    expect(script.nextDueAt()).toBe(15_000)
    expect(script.takeDue(14_999)).toEqual([])
    expect(script.takeDue(15_000)).toEqual([ada])
    expect(script.takeDue(20_000), "handed out once").toEqual([])
    expect(wraps, "one wrap time drawn").toEqual([20_000])
  })

  it("drops an outcome when the agent leaves wrap-up by itself (the wrap-up limit)", () => {
    const script = new AgentScript(() => 30_000)
    script.observe(new Map([[grace, [wrapUp(grace, 0)]]]))
    script.observe(new Map([[grace, [snapshot(grace, "Online", 600_000)]]]))
    expect(script.nextDueAt()).toBeUndefined()
    expect(script.working).toBe(0)
  })

  it("hands out every due outcome once, earliest first, whatever the order agents wrapped up in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1_000_000), fc.nat(60_000)), { minLength: 1, maxLength: 30 }),
        fc.nat(1_100_000),
        (wrapUps, now) => {
          const agents = wrapUps.map((_, i) => AgentId.make(`agent-${i}`))
          const wraps = wrapUps.map(([, wrap]) => wrap)
          const script = new AgentScript(() => wraps.shift() ?? 0)
          script.observe(new Map(agents.map((a, i) => [a, [wrapUp(a, wrapUps[i]?.[0] ?? 0)]])))
          const dueAt = new Map(agents.map((a, i) => [a, (wrapUps[i]?.[0] ?? 0) + (wrapUps[i]?.[1] ?? 0)]))
          const taken = script.takeDue(now)
          expect(new Set(taken)).toEqual(new Set(agents.filter((a) => (dueAt.get(a) ?? 0) <= now)))
          const times = taken.map((a) => dueAt.get(a) ?? 0)
          expect(times).toEqual([...times].sort((x, y) => x - y))
          const rest = script.takeDue(Number.MAX_SAFE_INTEGER)
          expect(new Set([...taken, ...rest])).toEqual(new Set(agents))
          expect(taken.some((a) => rest.includes(a))).toBe(false)
        },
      ),
    )
  })
})
