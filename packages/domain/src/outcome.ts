import { Either, Schema } from "effect"
import { type Cadence, nextAttempt } from "./cadence.js"
import { DispositionId, LeadId, LeadStatusId } from "./ids.js"

/**
 * A tenant-configured outcome of an attempt. "status" moves the lead to `statusId`; "cadence" keeps the
 * status and follows its cadence. A "status" disposition without a status id keeps the status too.
 */
export const Disposition = Schema.Struct({
  id: DispositionId,
  label: Schema.String,
  kind: Schema.Literal("status", "cadence"),
  statusId: Schema.NullOr(LeadStatusId),
})
export type Disposition = typeof Disposition.Type

export class PriorityZeroNeedsStatusChange extends Schema.TaggedError<PriorityZeroNeedsStatusChange>()(
  "PriorityZeroNeedsStatusChange",
  { leadId: LeadId, statusId: LeadStatusId, message: Schema.String },
) {}

/** Where a lead stands before an outcome is applied. */
export interface LeadProgress {
  readonly leadId: LeadId
  readonly statusId: LeadStatusId
  readonly attemptsInStatus: number
  readonly attempts: number
}

export interface OutcomeResult {
  readonly statusId: LeadStatusId
  readonly attempts: number
  readonly attemptsInStatus: number
  /** When the lead is next due; null when its status is terminal (has no cadence). */
  readonly nextAttemptAt: number | null
  /** The cadence was exhausted and the lead moved to the cadence's final status. */
  readonly finalTriggered: boolean
}

export interface OutcomeInput {
  readonly lead: LeadProgress
  /** The lead's type is set to priority 0. */
  readonly priorityZero: boolean
  readonly disposition: Disposition
  /** The cadence of a status; undefined for a terminal status. */
  readonly cadenceOf: (s: LeadStatusId) => Cadence | undefined
  /** When the outcome was recorded (epoch ms). */
  readonly at: number
}

/** The status an outcome asks for, before any final trigger. */
export const requestedStatus = (lead: LeadProgress, disposition: Disposition): LeadStatusId =>
  disposition.kind === "status" && disposition.statusId !== null ? disposition.statusId : lead.statusId

/**
 * When a lead that was just called enters a status: never again when the status is terminal; otherwise after the
 * status's first delay, since the attempt that moved it there was a contact too (a "call back" outcome must not
 * ring the person again at once). A status whose cadence has no delays is due at once.
 */
export const dueOnEntry = (cadence: Cadence | undefined, at: number): number | null => {
  if (cadence === undefined) return null
  return at + (cadence.delaysMs[0] ?? 0)
}

/**
 * Applies one attempt's outcome: every outcome counts one attempt. Moving to another status resets the
 * attempts in status and makes the lead due after that status's first delay (or terminal). Staying in the status follows its
 * cadence, and when the cadence is exhausted its final trigger moves the lead to the final status (the
 * trigger is applied once: the final status's own cadence only schedules the first attempt there).
 * A priority-0 lead must change status, so an outcome that keeps it is refused.
 */
export const applyOutcome = (input: OutcomeInput): Either.Either<OutcomeResult, PriorityZeroNeedsStatusChange> => {
  const { lead, at, cadenceOf } = input
  const attempts = lead.attempts + 1
  const target = requestedStatus(lead, input.disposition)
  if (target !== lead.statusId) {
    return Either.right({
      statusId: target,
      attempts,
      attemptsInStatus: 0,
      nextAttemptAt: dueOnEntry(cadenceOf(target), at),
      finalTriggered: false,
    })
  }
  if (input.priorityZero) {
    return Either.left(
      new PriorityZeroNeedsStatusChange({
        leadId: lead.leadId,
        statusId: lead.statusId,
        message:
          `lead ${lead.leadId} is of a priority-0 type: disposition "${input.disposition.label}" ` +
          `(${input.disposition.id}) leaves it in status ${lead.statusId}, choose one that changes its status`,
      }),
    )
  }
  const attemptsInStatus = lead.attemptsInStatus + 1
  const cadence = cadenceOf(lead.statusId)
  if (cadence === undefined) {
    return Either.right({
      statusId: lead.statusId,
      attempts,
      attemptsInStatus,
      nextAttemptAt: null,
      finalTriggered: false,
    })
  }
  const step = nextAttempt(cadence, attemptsInStatus, at)
  if (step._tag === "Retry") {
    return Either.right({
      statusId: lead.statusId,
      attempts,
      attemptsInStatus,
      nextAttemptAt: step.at,
      finalTriggered: false,
    })
  }
  return Either.right({
    statusId: step.finalStatusId,
    attempts,
    attemptsInStatus: 0,
    nextAttemptAt: dueOnEntry(cadenceOf(step.finalStatusId), at),
    finalTriggered: true,
  })
}
