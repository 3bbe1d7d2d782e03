import { describe, expect, it } from "@effect/vitest"
import { AgentId, type AgentState, CampaignId, E164, LeadId, OfferId } from "@ringmaster/domain"
import type { AgentView, ServerMessage } from "@ringmaster/protocol"
import { FastCheck as fc } from "effect"
import { DecisionTimer } from "../bench/lib/decision-timer.js"
import { runs } from "./bench-runs.js"

const agentIds = ["a-1", "a-2", "a-3"].map((id) => AgentId.make(id))

const view = (agentId: AgentId, state: AgentState, extra: Partial<AgentView> = {}): AgentView => ({
  agentId,
  name: agentId,
  campaignId: CampaignId.make("c-1"),
  state,
  stateSince: 0,
  pendingOffer: null,
  call: null,
  workingLeadId: null,
  leg: null,
  ...extra,
})
const snapshot = (agent: AgentView): ServerMessage => ({ _tag: "AgentSnapshot", agent, dispositions: [] })
const notification = (n: number): ServerMessage => ({
  _tag: "Notification",
  offer: {
    kind: "outbound",
    offerId: OfferId.make(`o-${n}`),
    campaignId: CampaignId.make("c-1"),
    expiresAt: 0,
    lead: {
      id: LeadId.make(`l-${n}`),
      name: "Lead",
      phone: E164.make("+14155550100"),
      email: null,
      leadType: "t",
      status: "s",
      attempts: 0,
      lastContactAt: null,
      notes: "",
      history: [],
    },
  },
})

/** Snapshots that do not show a free agent: notified, on a call, wrapping up, or not Online at all. */
const busySnapshot = (agentId: AgentId, kind: number): ServerMessage => {
  switch (kind % 4) {
    case 0:
      return snapshot(view(agentId, "OnCall", { workingLeadId: LeadId.make("l-0") }))
    case 1:
      return snapshot(view(agentId, "WrapUp", { workingLeadId: LeadId.make("l-0") }))
    case 2:
      return snapshot(view(agentId, "Busy"))
    default:
      return snapshot(view(agentId, "Offline"))
  }
}

/**
 * One cycle of an agent: `gap` ms after its last notification it becomes free, repeats that snapshot `repeats`
 * times in the first half of the wait (a later one does not restart the clock), and `latency` ms after it became
 * free it is notified, unless `interrupted`: then it leaves Online just before, and that notification is not timed.
 */
const cycleArb = fc.record({
  gap: fc.integer({ min: 1, max: 50 }),
  repeats: fc.integer({ min: 0, max: 2 }),
  latency: fc.integer({ min: 2, max: 40 }),
  interrupted: fc.boolean(),
  busyKind: fc.nat(),
})
type Cycle = typeof cycleArb extends fc.Arbitrary<infer C> ? C : never

interface Step {
  readonly at: number
  readonly agentId: AgentId
  readonly message: ServerMessage
}

const timeline = (agentId: AgentId, cycles: ReadonlyArray<Cycle>) => {
  const steps: Array<Step> = []
  const expected: Array<number> = []
  let t = 0
  cycles.forEach((c, i) => {
    t += c.gap
    const freeAt = t
    steps.push({ at: t, agentId, message: snapshot(view(agentId, "Online")) })
    for (let r = 1; r <= c.repeats; r++) {
      const at = freeAt + (r * c.latency) / (2 * (c.repeats + 1))
      steps.push({ at, agentId, message: snapshot(view(agentId, "Online")) })
    }
    t = freeAt + c.latency
    if (c.interrupted) steps.push({ at: t - 0.5, agentId, message: busySnapshot(agentId, c.busyKind) })
    else expected.push(c.latency)
    steps.push({ at: t, agentId, message: notification(i) })
    steps.push({ at: t + 0.25, agentId, message: busySnapshot(agentId, 0) })
  })
  return { steps, expected }
}

describe("DecisionTimer", () => {
  it.prop(
    "times each notification from the moment its agent first showed free, whatever other agents do meanwhile",
    [fc.tuple(...agentIds.map(() => fc.array(cycleArb, { maxLength: 8 })))],
    ([perAgent]) => {
      const lines = agentIds.map((agentId, i) => timeline(agentId, perAgent[i] ?? []))
      const merged = lines.flatMap((l) => l.steps).sort((a, b) => a.at - b.at)
      const timer = new DecisionTimer()
      const got = new Map<string, Array<number>>()
      for (const step of merged) {
        const decision = timer.observe(step.agentId, step.message, step.at)
        if (decision === undefined) continue
        expect(decision.agentId).toBe(step.agentId)
        expect(decision.notifiedAt).toBe(step.at)
        got.set(step.agentId, [...(got.get(step.agentId) ?? []), decision.notifiedAt - decision.freeAt])
      }
      agentIds.forEach((agentId, i) => {
        const want = lines[i]?.expected ?? []
        const have = got.get(agentId) ?? []
        expect(have.length).toBe(want.length)
        have.forEach((latency, k) => expect(latency).toBeCloseTo(want[k] ?? Number.NaN, 9))
      })
      expect(timer.waiting).toBe(0)
    },
    runs(),
  )

  it("does not time a notification to an agent it never saw free", () => {
    const timer = new DecisionTimer()
    const agentId = agentIds[0] ?? AgentId.make("a-1")
    expect(timer.observe(agentId, notification(1), 5)).toBeUndefined()
    expect(timer.observe(agentId, snapshot(view(agentId, "Online")), 6)).toBeUndefined()
    expect(timer.observe(agentId, notification(2), 9)).toEqual({ agentId, freeAt: 6, notifiedAt: 9 })
  })
})
