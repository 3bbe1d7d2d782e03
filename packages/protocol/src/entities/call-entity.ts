import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { AgentId, AmdMode, CallId, CampaignId, E164, LeadId, TenantId } from "@ringmaster/domain"
import { Schema } from "effect"
import { CarrierEvent } from "../carrier-event.js"
import { CommandRefused } from "../errors.js"
import { TimerPayload } from "./timers.js"

/** The Call entity: one call, its state from carrier events (de-duplicated, order-independent), its log. */
export const CallEntity = Entity.make("Call", [
  Rpc.make("Place", {
    payload: { tenantId: TenantId, leadId: LeadId, agentId: AgentId, campaignId: CampaignId, to: E164, from: E164 },
    error: CommandRefused,
  }),
  /** An automatic dial of the campaign's pacing: no agent yet; a person who answers is connected to one. */
  Rpc.make("PlaceAuto", {
    payload: {
      tenantId: TenantId,
      leadId: LeadId,
      campaignId: CampaignId,
      to: E164,
      from: E164,
      amd: AmdMode,
      notSureAs: Schema.Literal("human", "machine"),
      machineMessage: Schema.NullOr(Schema.String),
      abandonMessage: Schema.String,
    },
  }),
  /** From the campaign: this agent was found for the person waiting on this call. */
  Rpc.make("AgentFound", { payload: { agentId: AgentId } }),
  /** From the agent chosen for this call: it could not take it after all. */
  Rpc.make("AgentDeclined", { payload: { agentId: AgentId } }),
  /** 2 s after a person answered with no agent free: connect one found meanwhile, or abandon the call. */
  Rpc.make("AbandonTimeout", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
  /** An event from a carrier inside this process (the simulated carrier): de-duplicated by the call's log. */
  Rpc.make("CarrierLocal", { payload: { event: CarrierEvent } }),
  /** An event from outside (a webhook): persisted before the sender is answered, de-duplicated by its id. */
  Rpc.make("Carrier", {
    payload: { event: CarrierEvent },
    primaryKey: ({ event }) => event.eventId,
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Hangup", { error: CommandRefused }),
  /** A call from outside: match or create its lead, ring the available agents. Keyed by the carrier's event id. */
  Rpc.make("Inbound", {
    payload: { event: CarrierEvent },
    primaryKey: ({ event }) => `inbound:${event.eventId}`,
  }).annotate(ClusterSchema.Persisted, true),
  /**
   * From the campaign: an agent free since `freeSince`, given to this inbound call while it rings; ring them too. A
   * call that rings no more gives the agent back to `campaignId`.
   */
  Rpc.make("RingAgent", { payload: { campaignId: CampaignId, agentId: AgentId, freeSince: Schema.Number } }),
  /** An agent answers the ringing inbound call: true for the first, false for everyone after. */
  Rpc.make("ClaimInbound", { payload: { agentId: AgentId }, success: Schema.Boolean }),
  Rpc.make("RingTimeout", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
  /**
   * From a runner's watchdog: this outbound call is still dialling or ringing long after its ring timeout (the carrier
   * that had it went away with its process): end it.
   */
  Rpc.make("CheckLost"),
  /** An inbound call from this call's lead arrived while this outbound dial was in progress. */
  Rpc.make("CancelForCollision", { payload: { inboundCallId: CallId } }),
])
