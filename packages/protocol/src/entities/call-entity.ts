import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { AgentId, CampaignId, E164, LeadId, TenantId } from "@ringmaster/domain"
import { CarrierEvent } from "../carrier-event.js"
import { CommandRefused } from "../errors.js"

/** The Call entity: one call, its state from carrier events (de-duplicated, order-independent), its log. */
export const CallEntity = Entity.make("Call", [
  Rpc.make("Place", {
    payload: { tenantId: TenantId, leadId: LeadId, agentId: AgentId, campaignId: CampaignId, to: E164, from: E164 },
    error: CommandRefused,
  }),
  Rpc.make("Carrier", {
    payload: { event: CarrierEvent },
    primaryKey: ({ event }) => event.eventId,
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Hangup", { error: CommandRefused }),
])
