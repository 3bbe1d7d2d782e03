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
import { CarrierEvent } from "../carrier-event.js"
import { CommandRefused } from "../errors.js"
import { AgentView, CallPhaseView, LeadCard } from "../models.js"
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
  /**
   * From the campaign: show this lead, if the agent can take it. The campaign sends the lead's card as its offer
   * wrote it; a campaign of an earlier version does not, and the agent reads it.
   */
  Rpc.make("Offer", {
    payload: {
      offerId: OfferId,
      campaignId: CampaignId,
      leadId: LeadId,
      expiresAt: Schema.Number,
      lead: Schema.optional(LeadCard),
    },
  }),
  /** From an inbound Call: ring this agent, if it can take a call now. */
  Rpc.make("Ring", {
    payload: { callId: CallId, campaignId: CampaignId, leadId: LeadId, expiresAt: Schema.Number },
  }),
  /**
   * From a Call of the auto-dialer: a person answered and this agent was chosen; take the call at once, bridging the
   * person's leg (`carrierCallId`) to the agent's own leg when the agent has one.
   */
  Rpc.make("ConnectCall", {
    payload: { callId: CallId, campaignId: CampaignId, leadId: LeadId, carrierCallId: Schema.NullOr(Schema.String) },
  }),
  /** An event of the agent's own leg from a carrier inside this process (the simulated carrier). */
  Rpc.make("LegCarrierLocal", { payload: { event: CarrierEvent } }),
  /** An event of the agent's own leg from outside (a webhook): persisted, de-duplicated by its id. */
  Rpc.make("LegCarrier", {
    payload: { event: CarrierEvent },
    primaryKey: ({ event }) => `leg:${event.eventId}`,
  }).annotate(ClusterSchema.Persisted, true),
  /**
   * A dropped leg is dialled again (the key is the leg call id that dropped). This and the other two timers are not
   * persisted: their deadlines live on the agent's row, and the entity (or a runner's sweep) sends them when due.
   */
  Rpc.make("LegRetry", { payload: TimerPayload }),
  /** The campaign's mode may have changed: dial the agent's leg (auto-dialer on) if it needs one and has none. */
  Rpc.make("SyncLeg"),
  /** The pending notification timed out (the key is its offer id). */
  Rpc.make("OfferTimeout", { payload: TimerPayload }),
  Rpc.make("Withdraw", { payload: { offerId: OfferId, reason: Schema.Literal("taken", "cancelled") } }),
  Rpc.make("Accept", { payload: { offerId: OfferId }, success: AgentView, error: CommandRefused }),
  Rpc.make("Ignore", { payload: { offerId: OfferId }, success: AgentView, error: CommandRefused }),
  /** From the Call entity: the call moved on. */
  Rpc.make("CallChanged", { payload: { callId: CallId, phase: CallPhaseView } }),
  Rpc.make("Hangup", { success: AgentView, error: CommandRefused }),
  /** Manual dial: the agent calls a lead of its campaign that is not being offered to someone else. */
  Rpc.make("Dial", { payload: { leadId: LeadId }, success: AgentView, error: CommandRefused }),
  Rpc.make("SubmitOutcome", {
    payload: {
      dispositionId: DispositionId,
      notes: Schema.optional(Schema.String),
      doNotCall: Schema.optional(Schema.Boolean),
    },
    success: AgentView,
    error: CommandRefused,
  }),
  /** The wrap-up limit of the call whose id is the key was reached. */
  Rpc.make("WrapUpTimeout", { payload: TimerPayload }),
])
