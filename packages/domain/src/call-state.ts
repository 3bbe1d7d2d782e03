import { Schema } from "effect"

export const CallPhase = Schema.Literal("Dialing", "Ringing", "Answered", "Bridged", "Ended")
export type CallPhase = typeof CallPhase.Type

export const AmdResult = Schema.Literal("human", "machine", "not_sure")
export type AmdResult = typeof AmdResult.Type

/** Fields every carrier fact carries: the carrier's event id (for de-duplication) and when it happened. */
const factFields = { eventId: Schema.String, at: Schema.Number }

export const InitiatedFact = Schema.TaggedStruct("Initiated", factFields)
export const RingingFact = Schema.TaggedStruct("Ringing", factFields)
export const AnsweredFact = Schema.TaggedStruct("Answered", factFields)
export const MachineDetectionFact = Schema.TaggedStruct("MachineDetection", { ...factFields, result: AmdResult })
export const BridgedFact = Schema.TaggedStruct("Bridged", { ...factFields, agentLeg: Schema.String })
export const HangupFact = Schema.TaggedStruct("Hangup", { ...factFields, cause: Schema.String })

/** One thing the carrier told us about a call. */
export const CallFact = Schema.Union(
  InitiatedFact,
  RingingFact,
  AnsweredFact,
  MachineDetectionFact,
  BridgedFact,
  HangupFact,
)
export type CallFact = typeof CallFact.Type

/**
 * Everything known about a call, merged from carrier facts so that the order and repetition of delivery do
 * not matter: each time is the earliest reported, each valued field comes from its earliest fact (ties broken
 * by value), and `seenEventIds` is kept sorted. A schema too, so the record can be stored as it is.
 */
export const CallFacts = Schema.Struct({
  seenEventIds: Schema.Array(Schema.String),
  initiatedAt: Schema.NullOr(Schema.Number),
  ringingAt: Schema.NullOr(Schema.Number),
  answeredAt: Schema.NullOr(Schema.Number),
  amdResult: Schema.NullOr(AmdResult),
  amdAt: Schema.NullOr(Schema.Number),
  bridgedAt: Schema.NullOr(Schema.Number),
  bridgedAgentLeg: Schema.NullOr(Schema.String),
  hangupAt: Schema.NullOr(Schema.Number),
  hangupCause: Schema.NullOr(Schema.String),
})
export type CallFacts = typeof CallFacts.Type

export const emptyCallFacts: CallFacts = {
  seenEventIds: [],
  initiatedAt: null,
  ringingAt: null,
  answeredAt: null,
  amdResult: null,
  amdAt: null,
  bridgedAt: null,
  bridgedAgentLeg: null,
  hangupAt: null,
  hangupCause: null,
}

const earliest = (current: number | null, at: number): number => (current === null || at < current ? at : current)

/**
 * Whether a fact (at, value) replaces the current one: an earlier time wins; at the same time the smaller
 * rank wins, so the outcome does not depend on which arrived first.
 */
const wins = <A>(
  current: { at: number | null; value: A | null },
  at: number,
  value: A,
  rank: (a: A) => number | string,
) =>
  current.at === null ||
  current.value === null ||
  at < current.at ||
  (at === current.at && rank(value) < rank(current.value))

/** At equal times, trust "human" over "not_sure" over "machine": hanging up on a person is the worse mistake. */
const amdRank: Readonly<Record<AmdResult, number>> = { human: 0, not_sure: 1, machine: 2 }

const insertSorted = (ids: ReadonlyArray<string>, id: string): ReadonlyArray<string> => {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const at = ids[mid]
    if (at !== undefined && at < id) lo = mid + 1
    else hi = mid
  }
  return [...ids.slice(0, lo), id, ...ids.slice(lo)]
}

const hasSeen = (ids: ReadonlyArray<string>, id: string): boolean => ids.includes(id)

/**
 * Adds a carrier fact. A fact whose event id was seen before is ignored (the same record is returned), and
 * every field merges order-independently, so duplicated or reordered delivery leaves the same record as
 * delivery once, in order. (Two different facts sharing one event id are a carrier bug: the first one wins.)
 */
export const recordFact = (facts: CallFacts, fact: CallFact): CallFacts => {
  if (hasSeen(facts.seenEventIds, fact.eventId)) return facts
  const seen = { ...facts, seenEventIds: insertSorted(facts.seenEventIds, fact.eventId) }
  switch (fact._tag) {
    case "Initiated":
      return { ...seen, initiatedAt: earliest(facts.initiatedAt, fact.at) }
    case "Ringing":
      return { ...seen, ringingAt: earliest(facts.ringingAt, fact.at) }
    case "Answered":
      return { ...seen, answeredAt: earliest(facts.answeredAt, fact.at) }
    case "MachineDetection":
      return wins({ at: facts.amdAt, value: facts.amdResult }, fact.at, fact.result, (r) => amdRank[r])
        ? { ...seen, amdAt: fact.at, amdResult: fact.result }
        : seen
    case "Bridged":
      return wins({ at: facts.bridgedAt, value: facts.bridgedAgentLeg }, fact.at, fact.agentLeg, (leg) => leg)
        ? { ...seen, bridgedAt: fact.at, bridgedAgentLeg: fact.agentLeg }
        : seen
    case "Hangup":
      return wins({ at: facts.hangupAt, value: facts.hangupCause }, fact.at, fact.cause, (cause) => cause)
        ? { ...seen, hangupAt: fact.at, hangupCause: fact.cause }
        : seen
  }
}

/** Applies facts in the given order. */
export const recordFacts = (facts: CallFacts, more: Iterable<CallFact>): CallFacts => {
  let out = facts
  for (const fact of more) out = recordFact(out, fact)
  return out
}

/**
 * The furthest phase the facts prove: Ended once hung up, else Bridged, Answered, Ringing, Dialing. A machine
 * detection result proves the call was answered even when the answer event itself has not arrived yet.
 */
export const callPhase = (facts: CallFacts): CallPhase =>
  facts.hangupAt !== null
    ? "Ended"
    : facts.bridgedAt !== null
      ? "Bridged"
      : facts.answeredAt !== null || facts.amdResult !== null
        ? "Answered"
        : facts.ringingAt !== null
          ? "Ringing"
          : "Dialing"
