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
