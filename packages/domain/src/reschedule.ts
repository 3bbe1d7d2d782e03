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

/** Where a waiting lead stands after a re-time: its status, its attempts in that status, and its next attempt (null: never). */
export interface RetimedLead {
  readonly statusId: LeadStatusId
  readonly attemptsInStatus: number
  readonly nextAttemptAt: number | null
}

/**
 * A waiting lead re-timed under the cadences as they are now: due when `rescheduleLead` says; when its cadence is
 * exhausted, moved to the final status, due on entry there from its last contact (or `now` if it was never called);
 * never again when its status has no cadence.
 */
export const retimeWaitingLead = (input: {
  readonly cadenceOf: (statusId: LeadStatusId) => Cadence | undefined
  readonly statusId: LeadStatusId
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly enteredAt: number
  readonly now: number
}): RetimedLead => {
  const plan = rescheduleLead({
    cadence: input.cadenceOf(input.statusId),
    attemptsInStatus: input.attemptsInStatus,
    lastContactAt: input.lastContactAt,
    enteredAt: input.enteredAt,
  })
  switch (plan._tag) {
    case "At":
      return { statusId: input.statusId, attemptsInStatus: input.attemptsInStatus, nextAttemptAt: plan.at }
    case "Exhausted":
      return {
        statusId: plan.finalStatusId,
        attemptsInStatus: 0,
        nextAttemptAt: dueOnEntry(input.cadenceOf(plan.finalStatusId), input.lastContactAt ?? input.now),
      }
    case "Terminal":
      return { statusId: input.statusId, attemptsInStatus: input.attemptsInStatus, nextAttemptAt: null }
  }
}
