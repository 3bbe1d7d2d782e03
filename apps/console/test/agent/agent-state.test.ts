import { AgentView, PendingOffer, ServerMessage } from "@ringmaster/protocol"
import { Arbitrary, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import {
  allowedActions,
  applyServerMessage,
  type AgentConsoleState,
  initialAgentState,
  newOffer,
} from "../../src/agent/agent-state.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 100) }
const message = Arbitrary.make(ServerMessage)
const agentView = Arbitrary.make(AgentView)
const offer = Arbitrary.make(PendingOffer)
const reasons = ["taken", "timeout", "ignored", "cancelled"] as const

const replay = (messages: ReadonlyArray<ServerMessage>, from: AgentConsoleState = initialAgentState) =>
  messages.reduce((state, m) => applyServerMessage(state, m, 0), from)

describe("the agent console's state", () => {
  it("after any history, shows exactly what the server's latest snapshot says (a reconnect restores it)", () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 15 }), agentView, (history, agent) => {
        const state = replay([...history, { _tag: "AgentSnapshot", agent, dispositions: [] }])
        expect(state.agent).toEqual(agent)
        expect(state.offer).toEqual(agent.pendingOffer)
        expect(state.dispositions).toEqual([])
        if (agent.workingLeadId === null) expect(state.workingLead).toBeNull()
        else if (state.workingLead !== null) expect(state.workingLead.id).toBe(agent.workingLeadId)
      }),
      runs,
    )
  })

  it("keeps the notification on screen when another one is withdrawn, and drops it with a message when it is", () => {
    fc.assert(
      fc.property(offer, offer, fc.constantFrom(...reasons), (o, another, reason) => {
        const shown = applyServerMessage(initialAgentState, { _tag: "Notification", offer: o }, 0)
        expect(shown.offer).toEqual(o)
        const other = another.offerId
        if (other !== o.offerId) {
          const unrelated = applyServerMessage(shown, { _tag: "NotificationWithdrawn", offerId: other, reason }, 1)
          expect(unrelated).toBe(shown)
        }
        const withdrawn = applyServerMessage(shown, { _tag: "NotificationWithdrawn", offerId: o.offerId, reason }, 1)
        expect(withdrawn.offer).toBeNull()
        expect(withdrawn.notices[0]?.text).toMatch(/notification/i)
      }),
      runs,
    )
  })

  it("announces a notification once: only when a different one appears", () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 15 }), (history) => {
        let state = initialAgentState
        for (const m of history) {
          const next = applyServerMessage(state, m, 0)
          const announced = newOffer(state, next)
          if (announced !== null) {
            expect(announced).toBe(next.offer)
            expect(announced.offerId).not.toBe(state.offer?.offerId)
          } else if (next.offer !== null) {
            expect(next.offer.offerId).toBe(state.offer?.offerId)
          }
          state = next
        }
      }),
      runs,
    )
  })

  it("keeps at most five messages, newest first", () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 30 }), (history) => {
        const state = replay(history)
        expect(state.notices.length).toBeLessThanOrEqual(5)
        const ids = state.notices.map((n) => n.id)
        expect([...ids].sort((a, b) => b - a)).toEqual(ids)
      }),
      runs,
    )
  })

  it("keeps the accepted lead's card while the agent calls it, and forgets it after the outcome", () => {
    fc.assert(
      fc.property(offer, agentView, (o, base) => {
        const notified = applyServerMessage(initialAgentState, { _tag: "Notification", offer: o }, 0)
        const onCall: AgentView = { ...base, state: "OnCall", pendingOffer: null, workingLeadId: o.lead.id }
        const calling = applyServerMessage(notified, { _tag: "AgentSnapshot", agent: onCall, dispositions: [] }, 1)
        expect(calling.workingLead).toEqual(o.lead)
        expect(calling.offer).toBeNull()
        const done: AgentView = { ...onCall, state: "Online", call: null, workingLeadId: null }
        const after = applyServerMessage(calling, { _tag: "AgentSnapshot", agent: done, dispositions: [] }, 2)
        expect(after.workingLead).toBeNull()
      }),
      runs,
    )
  })

  it("offers an outcome only once the call is over, and hang-up only during it", () => {
    fc.assert(
      fc.property(agentView, (agent) => {
        const state = replay([{ _tag: "AgentSnapshot", agent, dispositions: [] }])
        const allowed = allowedActions(state)
        const live = agent.call !== null && agent.call.phase !== "Ended"
        expect(allowed.hangup).toBe(live)
        expect(allowed.outcome).toBe(!live && agent.workingLeadId !== null)
        expect(allowed.accept).toBe(agent.pendingOffer !== null)
        if (allowed.dial) expect(agent.state).toBe("Online")
      }),
      runs,
    )
  })
})
