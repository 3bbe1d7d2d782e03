import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import {
  agentTransition,
  allAgentStates,
  IllegalAgentTransition,
  legalTargets,
  receivesOffers,
  type AgentState,
} from "../src/agent-state.js"
import { runs } from "./property-runs.js"

/** The legal moves as DOMAIN.md and the brief list them, written out independently of the implementation. */
const legal = new Set([
  "Offline->Online",
  "Online->Offline",
  "Busy->Offline",
  "OnBreak->Offline",
  "WrapUp->Offline",
  "Online->OnCall",
  "Busy->OnCall",
  "OnCall->WrapUp",
  "WrapUp->Online",
  "Online->Busy",
  "WrapUp->Busy",
  "Busy->Online",
  "OnBreak->Online",
  "Online->OnBreak",
  "Busy->OnBreak",
])

const stateArb = fc.constantFrom(...allAgentStates)

describe("agentTransition", () => {
  it("allows login, a call, its wrap-up and the return to Online", () => {
    let state: AgentState = "Offline"
    for (const to of ["Online", "OnCall", "WrapUp", "Online", "OnBreak", "Online", "Offline"] as const) {
      state = Either.getOrThrow(agentTransition(state, to))
    }
    expect(state).toBe("Offline")
  })

  it("refuses a logout during a call, naming both states", () => {
    const result = agentTransition("OnCall", "Offline")
    expect(Either.isLeft(result)).toBe(true)
    const error = Either.flip(result).pipe(Either.getOrThrow)
    expect(error).toBeInstanceOf(IllegalAgentTransition)
    expect(error._tag).toBe("IllegalAgentTransition")
    expect(error.from).toBe("OnCall")
    expect(error.to).toBe("Offline")
    expect(error.message).toContain("OnCall")
    expect(error.message).toContain("Offline")
  })

  it.prop(
    "accepts exactly the listed moves and refuses every other, naming both states",
    [stateArb, stateArb],
    ([from, to]) => {
      const result = agentTransition(from, to)
      if (legal.has(`${from}->${to}`)) {
        expect(result).toEqual(Either.right(to))
      } else {
        expect(Either.isLeft(result)).toBe(true)
        const error = Either.flip(result).pipe(Either.getOrThrow)
        expect([error.from, error.to]).toEqual([from, to])
        expect(error.message).toContain(from)
        expect(error.message).toContain(to)
      }
    },
    runs(),
  )

  it.prop(
    "refuses a move to the same state",
    [stateArb],
    ([state]) => {
      expect(Either.isLeft(agentTransition(state, state))).toBe(true)
    },
    runs(50),
  )

  it.prop(
    "a random walk of attempted moves changes state only through legal moves",
    [fc.array(stateArb, { maxLength: 40 })],
    ([attempts]) => {
      let state: AgentState = "Offline"
      for (const to of attempts) {
        const next: AgentState = Either.getOrElse(agentTransition(state, to), () => state)
        if (next !== state) expect(legal.has(`${state}->${next}`)).toBe(true)
        state = next
      }
    },
    runs(),
  )
})

describe("legalTargets", () => {
  it.prop(
    "lists exactly the states agentTransition accepts",
    [stateArb],
    ([from]) => {
      const accepted = allAgentStates.filter((to) => Either.isRight(agentTransition(from, to)))
      expect([...legalTargets(from)].sort()).toEqual([...accepted].sort())
      expect(legalTargets(from)).not.toContain(from)
    },
    runs(50),
  )

  it("lets every state reach Offline and be reached from it, so no agent gets stuck", () => {
    const reachable = (start: AgentState): Set<AgentState> => {
      const seen = new Set<AgentState>([start])
      const stack = [start]
      for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
        for (const t of legalTargets(s)) {
          if (!seen.has(t)) {
            seen.add(t)
            stack.push(t)
          }
        }
      }
      return seen
    }
    expect(reachable("Offline").size).toBe(allAgentStates.length)
    for (const state of allAgentStates) expect(reachable(state).has("Offline")).toBe(true)
  })
})

describe("receivesOffers", () => {
  it.prop(
    "is true only for an Online agent with nothing pending",
    [stateArb, fc.boolean()],
    ([state, pending]) => {
      expect(receivesOffers(state, pending)).toBe(state === "Online" && !pending)
    },
    runs(50),
  )

  it("examples", () => {
    expect(receivesOffers("Online", false)).toBe(true)
    expect(receivesOffers("Online", true)).toBe(false)
    expect(receivesOffers("WrapUp", false)).toBe(false)
  })
})
