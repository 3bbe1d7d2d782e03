import { Either, Schema } from "effect"

export const AgentState = Schema.Literal("Online", "Offline", "OnCall", "WrapUp", "Busy", "OnBreak")
export type AgentState = typeof AgentState.Type

export const allAgentStates: ReadonlyArray<AgentState> = AgentState.literals

export class IllegalAgentTransition extends Schema.TaggedError<IllegalAgentTransition>()("IllegalAgentTransition", {
  from: AgentState,
  to: AgentState,
  message: Schema.String,
}) {}

/**
 * The legal moves of the agent state machine, by source state. OnCall can only end in WrapUp:
 * a lost connection during a call is handled when the call ends, never by jumping to Offline.
 */
const transitions: Readonly<Record<AgentState, ReadonlyArray<AgentState>>> = {
  Offline: ["Online"],
  Online: ["Offline", "OnCall", "Busy", "OnBreak"],
  OnCall: ["WrapUp"],
  WrapUp: ["Offline", "Online", "Busy"],
  Busy: ["Offline", "OnCall", "Online", "OnBreak"],
  OnBreak: ["Offline", "Online"],
}

/** The states an agent in `from` may move to (never `from` itself). */
export const legalTargets = (from: AgentState): ReadonlyArray<AgentState> => transitions[from]

export const isLegalAgentTransition = (from: AgentState, to: AgentState): boolean => transitions[from].includes(to)

/** The new state when the move is legal; otherwise an error naming both states. */
export const agentTransition = (from: AgentState, to: AgentState): Either.Either<AgentState, IllegalAgentTransition> =>
  isLegalAgentTransition(from, to)
    ? Either.right(to)
    : Either.left(
        new IllegalAgentTransition({
          from,
          to,
          message:
            from === to
              ? `agent is already ${from}: ${from} -> ${to} is not a transition`
              : `agent cannot move from ${from} to ${to}`,
        }),
      )

/** Only an Online agent with no notification pending may be offered a lead. */
export const receivesOffers = (state: AgentState, hasPendingNotification: boolean): boolean =>
  state === "Online" && !hasPendingNotification
