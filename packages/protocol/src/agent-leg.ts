import { E164 } from "@ringmaster/domain"
import { Schema } from "effect"

/** A SIP address an agent's phone or softphone registers at, e.g. `sip:ada@agents.example.com`. */
export const SipUri = Schema.String.pipe(
  Schema.pattern(/^sips?:[^\s@:;]+@[A-Za-z0-9.-]+(:\d{1,5})?(;[^\s]*)?$/),
  Schema.maxLength(256),
  Schema.brand("SipUri"),
)
export type SipUri = typeof SipUri.Type

/** Where an agent's own audio leg is dialled: a telephone number or a SIP URI. */
export const LegEndpoint = Schema.Union(E164, SipUri)
export type LegEndpoint = typeof LegEndpoint.Type

/** What a call is placed to or comes in for: a telephone number, or (an agent's leg) a SIP URI. */
export const DialTarget = LegEndpoint
export type DialTarget = LegEndpoint

/**
 * Where an agent's leg stands: dialled and not answered yet, answered (the agent can be connected), or dropped
 * (re-dialled after a short wait).
 */
export const AgentLegPhase = Schema.Literal("Dialing", "Up", "Down")
export type AgentLegPhase = typeof AgentLegPhase.Type

/** The prefix of our call id for an agent's leg: carrier events carrying such an id go to the Agent entity. */
export const agentLegCallIdPrefix = "leg:"
