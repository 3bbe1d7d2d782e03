import { FastCheck as fc } from "effect"
import { AgentId, LeadId, LeadStatusId } from "../src/ids.js"

/** Ids drawn from small pools so that ties and collisions are common. */
export const leadIdArb = (pool = 12) => fc.integer({ min: 0, max: pool - 1 }).map((n) => LeadId.make(`lead-${n}`))
export const agentIdArb = (pool = 6) => fc.integer({ min: 0, max: pool - 1 }).map((n) => AgentId.make(`agent-${n}`))

export const statusPool = ["new", "callback", "no-answer", "won", "lost"].map((s) => LeadStatusId.make(s))
export const statusIdArb = fc.constantFrom(...statusPool)

/** Epoch milliseconds in a narrow range so equal times happen. */
export const smallTimeArb = fc.integer({ min: 0, max: 50 })
/** Realistic epoch milliseconds (2001 to 2100). */
export const epochArb = fc.integer({ min: 1_000_000_000_000, max: 4_100_000_000_000 })
