import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import {
  AgentId,
  AutoDialResult,
  CallId,
  DialBlockReason,
  DispositionId,
  LeadStatusId,
  PriorityZeroNeedsStatusChange,
} from "@ringmaster/domain"
import { Schema } from "effect"
import { CommandRefused } from "../errors.js"
import { AgentStateChange, LeadStage } from "../models.js"
import { TimerPayload } from "./timers.js"

export const OutcomeApplied = Schema.Struct({
  statusId: LeadStatusId,
  attempts: Schema.Number,
  nextAttemptAt: Schema.NullOr(Schema.Number),
  finalTriggered: Schema.Boolean,
  /** The agent's row was written with the outcome (see `RecordOutcome`'s `agentAfter`); absent: not written. */
  agentSaved: Schema.optional(Schema.Boolean),
})

/** A lead made ready by its admission: its stage and the time it was written. */
export const Admitted = Schema.Struct({ stage: LeadStage, updatedAt: Schema.Number })

/** The Lead entity: its lifecycle after creation, cadence after every outcome, and its next-attempt timer. */
export const LeadEntity = Entity.make("Lead", [
  /**
   * The lead row exists; make it ready (or wait for its next attempt). Idempotent. Sent and awaited, not stored: a
   * lead whose message is lost stays waiting and overdue, and the runners' sweep of overdue leads admits it. Answers
   * what this message wrote, or null when it made nothing ready (the lead was admitted already, is not due, or is gone).
   */
  Rpc.make("AdmitNow", { payload: { leadId: Schema.String }, success: Schema.NullOr(Admitted) }),
  /** As `AdmitNow`, stored: what runners of earlier versions send, still handled during a rolling upgrade. */
  Rpc.make("Admit", { payload: { leadId: Schema.String }, primaryKey: ({ leadId }) => `admit:${leadId}` }).annotate(
    ClusterSchema.Persisted,
    true,
  ),
  /** The next-attempt timer. */
  Rpc.make("Wake", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("RecordOutcome", {
    payload: {
      agentId: AgentId,
      callId: Schema.NullOr(CallId),
      dispositionId: DispositionId,
      notes: Schema.optional(Schema.String),
      /**
       * The person asked not to be called again: the lead is never attempted again and its number goes on the tenant's
       * do-not-call list, with the outcome. Taken even when priority 0 would ask for a status change.
       */
      doNotCall: Schema.optional(Schema.Boolean),
      /** The agent's row once done with the lead (no call, no lead), written with the outcome when given. */
      agentAfter: Schema.optional(AgentStateChange),
    },
    success: OutcomeApplied,
    error: Schema.Union(PriorityZeroNeedsStatusChange, CommandRefused),
  }),
  /** An automatic dial ended without reaching an agent (machine, no answer, busy, abandoned): back to the cadence. */
  Rpc.make("RecordAttempt", { payload: { callId: CallId, result: AutoDialResult } }),
  /** An automatic dial was refused by the compliance gate: the lead waits, or stops when it must never be called. */
  Rpc.make("DialBlocked", { payload: { reason: DialBlockReason, message: Schema.String } }),
  /** The cadence of its status changed, or the process restarted: re-time it, re-queue it, or admit it. */
  Rpc.make("Refresh"),
])
