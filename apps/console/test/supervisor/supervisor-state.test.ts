import { AgentView, AlertView } from "@ringmaster/protocol"
import { Arbitrary, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import {
  addAlerts,
  applyAgentChange,
  applyAgentList,
  initialSupervisorState,
  maxAlerts,
} from "../../src/supervisor/supervisor-state.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 100) }
const agent = Arbitrary.make(AgentView)
const alert = Arbitrary.make(AlertView)
const uniqueAgents = fc.uniqueArray(agent, { selector: (a) => a.agentId, maxLength: 8 })

describe("the supervisor view's live state", () => {
  it("shows a pushed change at once", () => {
    fc.assert(
      fc.property(uniqueAgents, agent, (list, change) => {
        const state = applyAgentChange(applyAgentList(initialSupervisorState, list), change)
        expect(state.agents.get(change.agentId)).toEqual(change)
      }),
      runs,
    )
  })

  it("lets a fetched list replace only what is older than it: a push that overtook the request wins", () => {
    fc.assert(
      fc.property(uniqueAgents, fc.array(agent, { maxLength: 8 }), (list, pushes) => {
        const live = pushes.reduce(applyAgentChange, initialSupervisorState)
        const state = applyAgentList(live, list)
        expect([...state.agents.keys()].sort()).toEqual(list.map((a) => a.agentId).sort())
        for (const fetched of list) {
          const pushed = live.agents.get(fetched.agentId)
          const shown = state.agents.get(fetched.agentId)
          expect(shown).toEqual(pushed !== undefined && pushed.stateSince > fetched.stateSince ? pushed : fetched)
        }
      }),
      runs,
    )
  })

  it("lists each alert once, newest first, at most fifty, however often it arrives", () => {
    fc.assert(
      fc.property(fc.array(alert, { maxLength: 80 }), fc.array(alert, { maxLength: 20 }), (history, pushed) => {
        const once = addAlerts(addAlerts(initialSupervisorState, history), pushed)
        const twice = addAlerts(addAlerts(once, pushed), history)
        expect(twice.alerts).toEqual(once.alerts)
        expect(once.alerts.length).toBeLessThanOrEqual(maxAlerts)
        const ats = once.alerts.map((a) => a.at)
        expect([...ats].sort((a, b) => b - a)).toEqual(ats)
      }),
      runs,
    )
  })
})
