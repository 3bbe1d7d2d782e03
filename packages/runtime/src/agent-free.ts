import { receivesOffers } from "@ringmaster/domain"
import type { AgentRow } from "@ringmaster/store"

/** Whether the campaign may hand this agent a lead or a person now: free, and its leg (if it works with one) up. */
export const isFreeAgent = (a: AgentRow): boolean =>
  receivesOffers(a.state, a.pendingOffer !== null) && (a.leg === null || a.leg.phase === "Up")
