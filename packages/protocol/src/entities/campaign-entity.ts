import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { AgentId, AutoDialResult, CallId, E164, LeadId, LeadStatusId, LeadTypeId, OfferId } from "@ringmaster/domain"
import { Schema } from "effect"
import { AgentStateChange, QueueEntryData, QueueItem } from "../models.js"
import { TimerPayload } from "./timers.js"

/**
 * The agent's row on the call it is about to place for an offered lead: what it changes besides the call itself (its
 * state, the deadlines still live), and the call's id.
 */
export const AgentOnCall = Schema.Struct({ callId: CallId, ...AgentStateChange.fields })
export type AgentOnCall = typeof AgentOnCall.Type

/** Won: the lead is the agent's, with what its call needs (the lead's number now, the campaign's caller id). */
export const AcceptResult = Schema.Union(
  Schema.TaggedStruct("Won", {
    leadId: LeadId,
    to: E164,
    from: E164,
    /** The agent's row was written on the call with the lead (see `AcceptOffer`'s `onCall`); absent: not written. */
    agentSaved: Schema.optional(Schema.Boolean),
  }),
  Schema.TaggedStruct("Lost", { reason: Schema.String }),
)
export type AcceptResult = typeof AcceptResult.Type

/** Claimed: the lead is the agent's, to be dialled from the campaign's caller id. */
export const ClaimResult = Schema.Union(
  Schema.TaggedStruct("Claimed", { from: E164 }),
  Schema.TaggedStruct("Refused", { reason: Schema.String }),
)
export type ClaimResult = typeof ClaimResult.Type

export const DeclineReason = Schema.Literal("ignored", "timeout", "refused")
export type DeclineReason = typeof DeclineReason.Type

/** What the campaign says about a person who answered an automatic dial: an agent for them, or wait. */
export const ConnectDecision = Schema.Union(
  Schema.TaggedStruct("Connect", { agentId: AgentId }),
  Schema.TaggedStruct("Wait", {}),
  Schema.TaggedStruct("Abandon", {}),
)
export type ConnectDecision = typeof ConnectDecision.Type

export const CampaignStats = Schema.Struct({
  ready: Schema.Number,
  openOffers: Schema.Number,
  availableAgents: Schema.Number,
  /** Automatic dials placed and not yet answered or ended. */
  dialing: Schema.Number,
  /** People who answered an automatic dial and wait for an agent. */
  waitingForAgent: Schema.Number,
  /** The pacing in force: "manual", "paused", the ratio or "adaptive", or "fallback" at the abandonment limit. */
  pacing: Schema.String,
})

/**
 * The Campaign entity: the distributor. It owns the ready queue and the open offers, and makes one
 * assignment decision at a time, so a lead is never offered twice.
 */
export const CampaignEntity = Entity.make("Campaign", [
  Rpc.make("Enqueue", { payload: { entry: QueueEntryData } }),
  Rpc.make("Dequeue", { payload: { leadId: LeadId } }),
  /**
   * The agent can take offers. `restored`: its entity was just built again from its row (its runner went away, or
   * it had left memory), so the campaign may have missed its word; the campaign ignores it while an open offer of its
   * own waits for that agent (the offer is sent again if the agent does not hold it).
   */
  Rpc.make("AgentAvailable", { payload: { agentId: AgentId, restored: Schema.optional(Schema.Boolean) } }),
  /**
   * The agent cannot take offers now; `loggedIn` tells whether it is still at work (assigned leads wait for it), and
   * `wrapUpSince` when it entered wrap-up if it is wrapping up (pacing counts on it being free soon).
   */
  Rpc.make("AgentUnavailable", {
    payload: { agentId: AgentId, loggedIn: Schema.Boolean, wrapUpSince: Schema.NullOr(Schema.Number) },
  }),
  /**
   * An agent takes the offered lead. With `onCall`, the agent's row as it will be on the call (the number to dial
   * comes from the lead) is written in the same statement as the lead, and the reply says so; the campaign then
   * counts the agent at work, and the agent does not send `AgentUnavailable` for it.
   */
  Rpc.make("AcceptOffer", {
    payload: { offerId: OfferId, agentId: AgentId, onCall: Schema.optional(AgentOnCall) },
    success: AcceptResult,
  }),
  Rpc.make("DeclineOffer", { payload: { offerId: OfferId, agentId: AgentId, reason: DeclineReason } }),
  /**
   * An inbound call rings up to `max` free agents (0: all): they are taken off the free list and returned. The same
   * call asking again before `until` (its first asker's process went away before ringing them) gets the same agents.
   */
  Rpc.make("ReserveForInbound", {
    payload: { callId: CallId, max: Schema.Number, until: Schema.Number },
    success: Schema.Array(AgentId),
  }),
  /**
   * An inbound call rings no more (answered, hung up, timed out). `notRung`: an agent given to it as it stopped, with
   * when that agent became free; free again.
   */
  Rpc.make("InboundRingEnded", {
    payload: {
      callId: CallId,
      notRung: Schema.NullOr(Schema.Struct({ agentId: AgentId, freeSince: Schema.Number })),
    },
  }),
  /**
   * The lead called in and nobody answered: if it is waiting for its next attempt, it goes to the top of the queue
   * now, for the next free agent to call back.
   */
  Rpc.make("CallBack", { payload: { leadId: LeadId } }),
  /** An agent answered an inbound call from this lead: it is theirs now, whatever queue or offer it was in. */
  Rpc.make("TakeForInbound", { payload: { leadId: LeadId, agentId: AgentId } }),
  /** An agent dials a lead by hand: take it out of the queue unless it is on offer. */
  Rpc.make("ClaimLead", { payload: { leadId: LeadId, agentId: AgentId }, success: ClaimResult }),
  Rpc.make("PriorityZeroChanged", { payload: { leadTypeId: LeadTypeId, priorityZero: Schema.Boolean } }),
  /** A status's cadence changed: its queued leads take the cadence's priority now. */
  Rpc.make("CadenceChanged", { payload: { statusId: LeadStatusId } }),
  /** A supervisor's queue-depletion threshold changed: reload them. */
  Rpc.make("ReloadThresholds"),
  /** A lead kept for its assigned agent may now go to anyone: hand out again. */
  Rpc.make("AssignmentWaitOver", { payload: TimerPayload }).annotate(ClusterSchema.Persisted, true),
  /** Hand out work now: the pacing loop's heartbeat (auto-dialer on: the dials the pacing asks for). */
  Rpc.make("PaceTick"),
  /**
   * The runners' watch found the campaign with free agents (`agentIds`, free in their rows) and a ready lead (or an
   * offer long expired): it repairs what a word lost with a runner left wrong (agents free, offers lost, leads
   * ready), then hands out work as `PaceTick` does.
   */
  Rpc.make("FreeAgentsWaiting", { payload: { agentIds: Schema.Array(AgentId) } }),
  /** A supervisor changed the campaign (mode, ratio, pause): re-read it. */
  Rpc.make("SettingsChanged"),
  /** A person answered an automatic dial: connect a free agent at once, or make them wait (at most 2 s). */
  Rpc.make("HumanAnswered", { payload: { callId: CallId, leadId: LeadId }, success: ConnectDecision }),
  /** The wait for an agent is over (2 s passed or the person hung up): an agent found meanwhile, or abandon. */
  Rpc.make("GiveUpWaiting", { payload: { callId: CallId, hungUp: Schema.Boolean }, success: ConnectDecision }),
  /** An automatic dial is over, with how it ended (an attempt for the abandonment and answer-rate figures). */
  Rpc.make("DialEnded", {
    payload: { callId: CallId, leadId: LeadId, result: AutoDialResult, liveAnswered: Schema.Boolean },
  }),
  Rpc.make("Queue", { payload: { limit: Schema.Number }, success: Schema.Array(QueueItem) }),
  Rpc.make("Stats", { success: CampaignStats }),
])
