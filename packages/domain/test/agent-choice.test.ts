import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { type Assignment, type AvailableAgent, chooseRecipients, offerableTo } from "../src/agent-choice.js"
import { AgentId } from "../src/ids.js"
import { agentIdArb, smallTimeArb } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const availableArb = fc.array(fc.record({ agentId: agentIdArb(8), availableSince: smallTimeArb }), { maxLength: 12 })

const agent = (id: string, availableSince: number): AvailableAgent => ({ agentId: AgentId.make(id), availableSince })

/** How long each agent has been idle: its earliest `availableSince` if listed more than once. */
const idleSince = (available: ReadonlyArray<AvailableAgent>): Map<AgentId, number> => {
  const since = new Map<AgentId, number>()
  for (const a of available) since.set(a.agentId, Math.min(a.availableSince, since.get(a.agentId) ?? Infinity))
  return since
}

describe("chooseRecipients", () => {
  it("puts the assigned agent first, then the longest idle", () => {
    const available = [agent("ann", 300), agent("bob", 100), agent("cat", 200), agent("dan", 100)]
    expect(chooseRecipients({ available, count: 3, assignedAgentId: AgentId.make("ann") })).toEqual([
      "ann",
      "bob",
      "dan",
    ])
    expect(chooseRecipients({ available, count: 2, assignedAgentId: AgentId.make("eve") })).toEqual(["bob", "dan"])
    expect(chooseRecipients({ available: [], count: 3, assignedAgentId: AgentId.make("ann") })).toEqual([])
  })

  it.prop(
    "offers to min(count, available agents) distinct available agents",
    [availableArb, fc.integer({ min: 1, max: 10 }), fc.option(agentIdArb(10), { nil: null })],
    ([available, count, assignedAgentId]) => {
      const chosen = chooseRecipients({ available, count, assignedAgentId })
      const since = idleSince(available)
      expect(chosen.length).toBe(Math.min(count, since.size))
      expect(new Set(chosen).size).toBe(chosen.length)
      for (const id of chosen) expect(since.has(id)).toBe(true)
    },
    runs(),
  )

  it.prop(
    "the assigned agent comes first when available",
    [availableArb, fc.integer({ min: 1, max: 10 }), agentIdArb(10)],
    ([available, count, assignedAgentId]) => {
      const chosen = chooseRecipients({ available, count, assignedAgentId })
      const isAvailable = available.some((a) => a.agentId === assignedAgentId)
      expect(chosen[0] === assignedAgentId).toBe(isAvailable)
    },
    runs(),
  )

  it.prop(
    "the others are the longest idle, in order, and no one left out idled longer",
    [availableArb, fc.integer({ min: 1, max: 10 }), fc.option(agentIdArb(10), { nil: null })],
    ([available, count, assignedAgentId]) => {
      const chosen = chooseRecipients({ available, count, assignedAgentId })
      const since = idleSince(available)
      const key = (id: AgentId): [number, string] => [since.get(id) ?? Infinity, id]
      const before = (a: AgentId, b: AgentId) => {
        const [ta, ia] = key(a)
        const [tb, ib] = key(b)
        return ta < tb || (ta === tb && ia < ib)
      }
      const others = chosen.filter((id) => id !== assignedAgentId)
      for (let i = 1; i < others.length; i++) expect(before(others[i - 1] as AgentId, others[i] as AgentId)).toBe(true)
      const last = others[others.length - 1]
      if (last !== undefined) {
        for (const id of since.keys()) if (!chosen.includes(id)) expect(before(last, id)).toBe(true)
      }
    },
    runs(),
  )
})

describe("offerableTo", () => {
  const wait = 5 * 60_000
  const assignment: Assignment = { agentId: AgentId.make("ann"), until: 1_000_000 }

  it("waits for the assigned agent, then opens to anyone", () => {
    const base = { assignment, assignedAgentOnline: true, readyAt: 10_000, assignmentWaitMs: wait }
    expect(offerableTo({ ...base, now: 10_000 })).toBe("assigned-agent-only")
    expect(offerableTo({ ...base, now: 10_000 + wait - 1 })).toBe("assigned-agent-only")
    expect(offerableTo({ ...base, now: 10_000 + wait })).toBe("anyone")
    expect(offerableTo({ ...base, now: 10_000, assignedAgentOnline: false })).toBe("anyone")
    expect(offerableTo({ ...base, now: 10_000, assignment: null })).toBe("anyone")
    expect(offerableTo({ ...base, now: 1_000_000, readyAt: 999_000 })).toBe("anyone")
  })

  it.prop(
    "is reserved for the assigned agent exactly while the assignment is current, the agent Online and the wait running",
    [
      fc.option(fc.record({ agentId: agentIdArb(), until: fc.integer({ min: 0, max: 2_000 }) }), { nil: null }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1_000 }),
      fc.integer({ min: 0, max: 2_000 }),
      fc.integer({ min: 0, max: 1_000 }),
    ],
    ([assignment, assignedAgentOnline, readyAt, now, assignmentWaitMs]) => {
      const reserved =
        assignment !== null && now < assignment.until && assignedAgentOnline && now < readyAt + assignmentWaitMs
      expect(offerableTo({ assignment, assignedAgentOnline, readyAt, now, assignmentWaitMs })).toBe(
        reserved ? "assigned-agent-only" : "anyone",
      )
    },
    runs(),
  )

  it.prop(
    "once open to anyone, it stays open as time passes",
    [
      fc.integer({ min: 0, max: 2_000 }),
      fc.integer({ min: 0, max: 1_000 }),
      fc.integer({ min: 0, max: 2_000 }),
      fc.nat(5_000),
    ],
    ([until, readyAt, now, later]) => {
      const input = { assignment: { ...assignment, until }, assignedAgentOnline: true, readyAt, assignmentWaitMs: wait }
      if (offerableTo({ ...input, now }) === "anyone")
        expect(offerableTo({ ...input, now: now + later })).toBe("anyone")
    },
    runs(),
  )
})
