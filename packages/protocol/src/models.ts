import {
  AgentId,
  AgentState,
  CallId,
  CampaignId,
  DispositionId,
  E164,
  LeadId,
  LeadStatusId,
  LeadTypeId,
  OfferId,
  TenantId,
} from "@ringmaster/domain"
import { AgentLegPhase } from "./agent-leg.js"
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

export const LeadStage = Schema.Literal("ready", "waiting", "offered", "in_call", "wrap_up", "terminal")
export type LeadStage = typeof LeadStage.Type

export const LeadEvent = Schema.Struct({
  at: Schema.Number,
  kind: Schema.String,
  detail: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
})
export type LeadEvent = typeof LeadEvent.Type

export const LeadView = Schema.Struct({
  id: LeadId,
  tenantId: TenantId,
  campaignId: CampaignId,
  leadTypeId: LeadTypeId,
  leadType: Schema.String,
  statusId: LeadStatusId,
  status: Schema.String,
  name: Schema.String,
  phone: E164,
  email: Schema.NullOr(Schema.String),
  notes: Schema.String,
  stage: LeadStage,
  attempts: Schema.Number,
  attemptsInStatus: Schema.Number,
  lastContactAt: Schema.NullOr(Schema.Number),
  nextAttemptAt: Schema.NullOr(Schema.Number),
  assignedAgentId: Schema.NullOr(AgentId),
  assignedUntil: Schema.NullOr(Schema.Number),
  timeZone: Schema.NullOr(Schema.String).annotations({ description: "IANA zone; null: from the number" }),
  createdAt: Schema.Number,
  updatedAt: Schema.Number,
})
export type LeadView = typeof LeadView.Type

export const LeadDetail = Schema.Struct({
  ...LeadView.fields,
  history: Schema.Array(LeadEvent),
})
export type LeadDetail = typeof LeadDetail.Type

/** What an agent sees on a notification card. */
export const LeadCard = Schema.Struct({
  id: LeadId,
  name: Schema.String,
  phone: E164,
  email: Schema.NullOr(Schema.String),
  leadType: Schema.String,
  status: Schema.String,
  attempts: Schema.Number,
  lastContactAt: Schema.NullOr(Schema.Number),
  notes: Schema.String,
  history: Schema.Array(LeadEvent),
})
export type LeadCard = typeof LeadCard.Type

export const PendingOffer = Schema.Struct({
  /** An outbound lead to call, or an inbound call ringing (the first agent to answer takes it). */
  kind: Schema.Literal("outbound", "inbound"),
  offerId: OfferId,
  campaignId: CampaignId,
  expiresAt: Schema.Number,
  lead: LeadCard,
})
export type PendingOffer = typeof PendingOffer.Type

export const CallPhaseView = Schema.Literal("Dialing", "Ringing", "Answered", "Bridged", "Ended")

export const AgentCall = Schema.Struct({
  callId: CallId,
  leadId: Schema.NullOr(LeadId),
  phase: CallPhaseView,
  to: Schema.String,
})
export type AgentCall = typeof AgentCall.Type

export const DispositionView = Schema.Struct({
  id: DispositionId,
  label: Schema.String,
  kind: Schema.Literal("status", "cadence"),
  statusId: Schema.NullOr(LeadStatusId),
})

/**
 * The agent's own audio leg, as its console shows it (agents of an auto-dialer campaign only): being dialled, up
 * (the agent can be connected), or dropped and dialled again at `retryAt`.
 */
export const AgentLegView = Schema.Struct({ phase: AgentLegPhase, retryAt: Schema.NullOr(Schema.Number) })
export type AgentLegView = typeof AgentLegView.Type

/**
 * An agent's own columns as its next row has them, when another entity's statement writes that row with its own (the
 * agent's call and lead are that statement's): the state, and the deadlines still live. No offer is pending then.
 */
export const AgentStateChange = Schema.Struct({
  state: AgentState,
  stateSince: Schema.Number,
  wrapUpUntil: Schema.NullOr(Schema.Number),
  legRetryAt: Schema.NullOr(Schema.Number),
})
export type AgentStateChange = typeof AgentStateChange.Type

export const AgentView = Schema.Struct({
  agentId: AgentId,
  name: Schema.String,
  campaignId: Schema.NullOr(CampaignId),
  state: AgentState,
  stateSince: Schema.Number,
  pendingOffer: Schema.NullOr(PendingOffer),
  call: Schema.NullOr(AgentCall),
  /** The lead the agent must submit an outcome for (set from the accepted offer until the outcome). */
  workingLeadId: Schema.NullOr(LeadId),
  /** Null when the agent works without a leg (a manual campaign, or no endpoint). */
  leg: Schema.NullOr(AgentLegView),
})
export type AgentView = typeof AgentView.Type

export const QueueRuleView = Schema.Literal("recycled", "priority-0", "scheduled")

export const QueueItem = Schema.Struct({
  position: Schema.Number,
  leadId: LeadId,
  rule: QueueRuleView,
  nextAttemptAt: Schema.Number,
  priority: Schema.Number,
  lastContactAt: Schema.NullOr(Schema.Number),
})
export type QueueItem = typeof QueueItem.Type

export const QueueEntryData = Schema.Struct({
  leadId: LeadId,
  leadTypeId: LeadTypeId,
  /** Absent in what runners of earlier versions send. */
  statusId: Schema.optional(LeadStatusId),
  recycledSeq: Schema.NullOr(Schema.Number),
  priorityZero: Schema.Boolean,
  lastContactAt: Schema.NullOr(Schema.Number),
  nextAttemptAt: Schema.Number,
  priority: Schema.Number,
  assignedAgentId: Schema.NullOr(AgentId),
  assignedUntil: Schema.NullOr(Schema.Number),
})
export type QueueEntryData = typeof QueueEntryData.Type

export const LeadTypeView = Schema.Struct({
  id: LeadTypeId,
  name: Schema.String,
  initialStatusId: LeadStatusId,
  priorityZero: Schema.Boolean,
})
export type LeadTypeView = typeof LeadTypeView.Type

export const CadenceView = Schema.Struct({
  statusId: LeadStatusId,
  status: Schema.String,
  delaysMs: Schema.Array(Schema.Number),
  priority: Schema.Number,
  finalStatusId: LeadStatusId,
  maxAttempts: Schema.Number,
})
export type CadenceView = typeof CadenceView.Type

export const AlertView = Schema.Struct({
  campaignId: Schema.NullOr(Schema.String),
  userId: Schema.NullOr(Schema.String),
  kind: Schema.String,
  message: Schema.String,
  at: Schema.Number,
})

// --- control plane ---------------------------------------------------------------------------------------------------

/** A queued lead as the supervisor sees it: its place, the rule that placed it, and who it is. */
export const QueueItemView = Schema.Struct({
  ...QueueItem.fields,
  name: Schema.String,
  phone: Schema.String,
  leadTypeId: Schema.String,
  leadType: Schema.String,
  statusId: Schema.String,
  status: Schema.String,
  createdAt: Schema.Number,
  /** When the lead's caller was missed, while a task to call them back is open (`GET /callbacks`); else null. */
  callbackSince: Schema.NullOr(Schema.Number),
})
export type QueueItemView = typeof QueueItemView.Type

export const StatusCadenceView = Schema.Struct({
  delaysMs: Schema.Array(Schema.Number),
  priority: Schema.Number,
  finalStatusId: LeadStatusId,
  maxAttempts: Schema.Number,
})

export const LeadStatusView = Schema.Struct({
  id: LeadStatusId,
  name: Schema.String,
  dialable: Schema.Boolean.annotations({ description: "Leads in this status are dialled: it has a cadence" }),
  terminal: Schema.Boolean.annotations({ description: "The lead's journey ends here (booked, not interested...)" }),
  cadence: Schema.NullOr(StatusCadenceView),
})
export type LeadStatusView = typeof LeadStatusView.Type

export const CampaignView = Schema.Struct({
  id: CampaignId,
  name: Schema.String,
  mode: Schema.Literal("manual", "auto").annotations({ description: "auto: the auto-dialer is on" }),
  dialRatio: Schema.Union(Schema.Literal(1.5, 2, 3), Schema.Literal("adaptive")).annotations({
    description: "Dials per available agent: a preset (1.5, 2 or 3), or adaptive pacing under the abandonment limit",
  }),
  amdMode: Schema.Literal("disabled", "detect", "detect_beep"),
  maxLines: Schema.Number,
  amdNotSure: Schema.Literal("human", "machine"),
  machineMessage: Schema.NullOr(Schema.String),
  abandonMessage: Schema.String,
  callerId: Schema.String,
  status: Schema.Literal("active", "paused"),
  pausedAt: Schema.NullOr(Schema.Number),
  createdAt: Schema.Number,
  updatedAt: Schema.NullOr(Schema.Number),
})
export type CampaignView = typeof CampaignView.Type

export const BlacklistEntryView = Schema.Struct({
  phone: Schema.String,
  reason: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
})

/** One refused row of a bulk request. */
export const RowIssue = Schema.Struct({
  row: Schema.Number.annotations({ description: "0-based index of the row in the request" }),
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
})

/** A bulk request refused as a whole (nothing was written): every refused row, naming its field and value. */
export class BulkValidationError extends Schema.TaggedError<BulkValidationError>()(
  "BulkValidationError",
  { message: Schema.String, errors: Schema.Array(RowIssue) },
  HttpApiSchema.annotations({ status: 400 }),
) {}
