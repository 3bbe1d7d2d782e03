import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import {
  AgentState,
  CallId,
  CampaignId,
  DispositionId,
  IllegalAgentTransition,
  LeadId,
  OfferId,
} from "@ringmaster/domain"
import { Schema } from "effect"
import { CommandRefused } from "../errors.js"
import { AgentView, CallPhaseView } from "../models.js"
import { TimerPayload } from "./timers.js"

export const StateChangeSource = Schema.Literal("agent", "supervisor", "system")

/** The Agent entity: the agent state machine, its one pending notification, its call, and its timers. */
export const AgentEntity = Entity.make("Agent", [
  Rpc.make("View", { success: AgentView }),
  Rpc.make("SetState", {
    payload: { state: AgentState, source: StateChangeSource },
    success: AgentView,
    error: Schema.Union(IllegalAgentTransition, CommandRefused),
  }),
  /** From the campaign: show this lead, if the agent can take it. */
  Rpc.make("Offer", {
    payload: { offerId: OfferId, campaignId: CampaignId, leadId: LeadId, expiresAt: Schema.Number },
  }),
  /** From an inbound Call: ring this agent, if it can take a call now. */
  Rpc.make("Ring", {
    payload: { callId: CallId, campaignId: CampaignId, leadId: LeadId, expiresAt: Schema.Number },
  }),
  /** From a Call of the auto-dialer: a person answered and this agent was chosen; take the call at once. */
  Rpc.make("ConnectCall", { payload: { callId: CallId, campaignId: CampaignId, leadId: LeadId } }),
  Rpc.make("OfferTimeout", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Withdraw", { payload: { offerId: OfferId, reason: Schema.Literal("taken", "cancelled") } }),
  Rpc.make("Accept", { payload: { offerId: OfferId }, success: AgentView, error: CommandRefused }),
  Rpc.make("Ignore", { payload: { offerId: OfferId }, success: AgentView, error: CommandRefused }),
  /** From the Call entity: the call moved on. */
  Rpc.make("CallChanged", { payload: { callId: CallId, phase: CallPhaseView } }),
  Rpc.make("Hangup", { success: AgentView, error: CommandRefused }),
  /** Manual dial: the agent calls a lead of its campaign that is not being offered to someone else. */
  Rpc.make("Dial", { payload: { leadId: LeadId }, success: AgentView, error: CommandRefused }),
  Rpc.make("SubmitOutcome", {
    payload: { dispositionId: DispositionId, notes: Schema.optional(Schema.String) },
    success: AgentView,
    error: CommandRefused,
  }),
  Rpc.make("WrapUpTimeout", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
])
