import { Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { AgentId, LeadId, LeadTypeId, OfferId } from "@ringmaster/domain"
import { Schema } from "effect"
import { QueueEntryData, QueueItem } from "../models.js"

export const AcceptResult = Schema.Union(
  Schema.TaggedStruct("Won", { leadId: LeadId }),
  Schema.TaggedStruct("Lost", { reason: Schema.String }),
)
export type AcceptResult = typeof AcceptResult.Type

export const ClaimResult = Schema.Union(
  Schema.TaggedStruct("Claimed", {}),
  Schema.TaggedStruct("Refused", { reason: Schema.String }),
)
export type ClaimResult = typeof ClaimResult.Type

export const DeclineReason = Schema.Literal("ignored", "timeout", "refused")
export type DeclineReason = typeof DeclineReason.Type

export const CampaignStats = Schema.Struct({
  ready: Schema.Number,
  openOffers: Schema.Number,
  availableAgents: Schema.Number,
})

/**
 * The Campaign entity: the distributor. It owns the ready queue and the open offers, and makes one
 * assignment decision at a time, so a lead is never offered twice.
 */
export const CampaignEntity = Entity.make("Campaign", [
  Rpc.make("Enqueue", { payload: { entry: QueueEntryData } }),
  Rpc.make("Dequeue", { payload: { leadId: LeadId } }),
  Rpc.make("AgentAvailable", { payload: { agentId: AgentId } }),
  /** The agent cannot take offers now; `loggedIn` tells whether it is still at work (assigned leads wait for it). */
  Rpc.make("AgentUnavailable", { payload: { agentId: AgentId, loggedIn: Schema.Boolean } }),
  Rpc.make("AcceptOffer", { payload: { offerId: OfferId, agentId: AgentId }, success: AcceptResult }),
  Rpc.make("DeclineOffer", { payload: { offerId: OfferId, agentId: AgentId, reason: DeclineReason } }),
  /** An inbound call rings up to `max` free agents (0: all): they are taken off the free list and returned. */
  Rpc.make("ReserveForInbound", { payload: { max: Schema.Number }, success: Schema.Array(AgentId) }),
  /** An agent answered an inbound call from this lead: it is theirs now, whatever queue or offer it was in. */
  Rpc.make("TakeForInbound", { payload: { leadId: LeadId, agentId: AgentId } }),
  /** An agent dials a lead by hand: take it out of the queue unless it is on offer. */
  Rpc.make("ClaimLead", { payload: { leadId: LeadId, agentId: AgentId }, success: ClaimResult }),
  Rpc.make("PriorityZeroChanged", { payload: { leadTypeId: LeadTypeId, priorityZero: Schema.Boolean } }),
  /** A supervisor's queue-depletion threshold changed: reload them. */
  Rpc.make("ReloadThresholds"),
  Rpc.make("Queue", { payload: { limit: Schema.Number }, success: Schema.Array(QueueItem) }),
  Rpc.make("Stats", { success: CampaignStats }),
])
