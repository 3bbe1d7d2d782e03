import { DispositionId, LeadId, OfferId } from "@ringmaster/domain"
import { Schema } from "effect"
import { AgentView, DispositionView, PendingOffer } from "./models.js"

/** States an agent may ask for from the console; the others are entered by calls and timers. */
export const RequestableState = Schema.Literal("Online", "OnBreak", "Busy", "Offline")

const requestId = { requestId: Schema.optional(Schema.String) }

export const ClientMessage = Schema.Union(
  Schema.TaggedStruct("SetState", { ...requestId, state: RequestableState }),
  Schema.TaggedStruct("Accept", { ...requestId, offerId: OfferId }),
  Schema.TaggedStruct("Ignore", { ...requestId, offerId: OfferId }),
  Schema.TaggedStruct("Hangup", { ...requestId }),
  /** Manual dial of a lead of the agent's campaign (auto-dialer off). */
  Schema.TaggedStruct("Dial", { ...requestId, leadId: LeadId }),
  Schema.TaggedStruct("SubmitOutcome", {
    ...requestId,
    dispositionId: DispositionId,
    notes: Schema.optional(Schema.String),
    /** The person asked not to be called again: their number goes on the do-not-call list with the outcome. */
    doNotCall: Schema.optional(Schema.Boolean),
  }),
  Schema.TaggedStruct("Ping", { ...requestId }),
)
export type ClientMessage = typeof ClientMessage.Type

export const ServerMessage = Schema.Union(
  /** Sent first on every connection: who the console is logged in as. */
  Schema.TaggedStruct("Hello", { userId: Schema.String, name: Schema.String, role: Schema.String }),
  /** Sent first on every connection, and whenever the agent's state changes. */
  Schema.TaggedStruct("AgentSnapshot", { agent: AgentView, dispositions: Schema.Array(DispositionView) }),
  Schema.TaggedStruct("Notification", { offer: PendingOffer }),
  Schema.TaggedStruct("NotificationWithdrawn", {
    offerId: OfferId,
    reason: Schema.Literal("taken", "timeout", "ignored", "cancelled"),
  }),
  Schema.TaggedStruct("Ack", { requestId: Schema.String }),
  Schema.TaggedStruct("Failure", {
    requestId: Schema.NullOr(Schema.String),
    code: Schema.String,
    message: Schema.String,
  }),
  Schema.TaggedStruct("Alert", { kind: Schema.String, message: Schema.String, at: Schema.Number }),
  Schema.TaggedStruct("Pong", { requestId: Schema.NullOr(Schema.String) }),
  /** To supervisors of the agent's tenant, whenever an agent's state, notification or call changes. */
  Schema.TaggedStruct("AgentStateChanged", { agent: AgentView }),
)
export type ServerMessage = typeof ServerMessage.Type

export const decodeClientMessage = Schema.decodeUnknownEither(Schema.parseJson(ClientMessage))
export const encodeServerMessage = Schema.encodeSync(Schema.parseJson(ServerMessage))
export const decodeServerMessage = Schema.decodeUnknownEither(Schema.parseJson(ServerMessage))
export const encodeClientMessage = Schema.encodeSync(Schema.parseJson(ClientMessage))
