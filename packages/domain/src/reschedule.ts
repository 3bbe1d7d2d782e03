import { type Cadence, nextAttempt } from "./cadence.js"
import type { LeadStatusId } from "./ids.js"
import { dueOnEntry } from "./outcome.js"

export type Reschedule =
  | { readonly _tag: "At"; readonly at: number }
  | { readonly _tag: "Exhausted"; readonly finalStatusId: LeadStatusId }
  | { readonly _tag: "Terminal" }

/**
 * When a waiting lead is next due under its status's cadence, computed from what happened to the lead only, so
 * that a supervisor's edit of the cadence re-times every lead it affects the way `applyOutcome` would have.
 * `enteredAt` is when a never-called lead was created (it is due at once).
 */
export const rescheduleLead = (input: {
  readonly cadence: Cadence | undefined
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly enteredAt: number
}): Reschedule => {
  const { cadence } = input
  if (cadence === undefined) return { _tag: "Terminal" }
  if (input.attemptsInStatus <= 0) {
    const at = input.lastContactAt === null ? input.enteredAt : dueOnEntry(cadence, input.lastContactAt)
    return at === null ? { _tag: "Terminal" } : { _tag: "At", at }
  }
  const step = nextAttempt(cadence, input.attemptsInStatus, input.lastContactAt ?? input.enteredAt)
  return step._tag === "Retry" ? { _tag: "At", at: step.at } : step
}
