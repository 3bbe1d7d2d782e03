import type { AgentId, DispositionId } from "@ringmaster/domain"
import type { AgentEntity, ServerMessage } from "@ringmaster/protocol"
import { Deferred, Duration, Effect, Either, Queue } from "effect"

type AgentClient = ReturnType<Effect.Effect.Success<typeof AgentEntity.client>>
type Notification = Extract<ServerMessage, { _tag: "Notification" }>

const isNotification = (m: ServerMessage): m is Notification => m._tag === "Notification"

/** The call is over (hung up, or the dial failed): the agent is wrapping up and may record the outcome. */
const isCallEnded = (m: ServerMessage): boolean =>
  m._tag === "AgentSnapshot" && (m.agent.call?.phase === "Ended" || m.agent.state === "WrapUp")

/** What a scripted agent reports; times are `performance.now()` milliseconds. */
export interface AgentScriptEvents {
  /** The accept was confirmed (the lead is in a call with this agent): `sentAt` when Accept was sent. */
  readonly assigned: (agentId: AgentId, sentAt: number, confirmedAt: number) => void
  /** A step failed or timed out; the agent carries on with the next notification. */
  readonly failed: (agentId: AgentId, step: string, reason: string) => void
}

const reasonOf = (error: unknown): string =>
  typeof error === "object" && error !== null
    ? "code" in error && typeof error.code === "string"
      ? error.code
      : "_tag" in error && typeof error._tag === "string"
        ? error._tag
        : String(error)
    : String(error)

/** The next message of the inbox that satisfies `pred`, skipping the others. */
const next = <A extends ServerMessage>(
  inbox: Queue.Dequeue<ServerMessage>,
  pred: (m: ServerMessage) => m is A,
): Effect.Effect<A> => Effect.flatMap(Queue.take(inbox), (m) => (pred(m) ? Effect.succeed(m) : next(inbox, pred)))

const nextWhere = (inbox: Queue.Dequeue<ServerMessage>, pred: (m: ServerMessage) => boolean) =>
  next(inbox, (m): m is ServerMessage => pred(m))

/**
 * A console that works every lead it is offered as fast as it can: Accept (the agent dials through the simulated
 * carrier), Hangup at once, wait until the call has ended, then the terminal outcome, which frees the agent for
 * the next decision. Each step after the notification waits at most `stepTimeout`. Once `stop` is done the agent
 * returns after its current step, so that no message of its is in flight when the runtime shuts down.
 */
export const scriptedAgent = (input: {
  readonly agentId: AgentId
  readonly agent: AgentClient
  readonly inbox: Queue.Dequeue<ServerMessage>
  readonly disposition: DispositionId
  readonly stepTimeout: Duration.Duration
  readonly stop: Deferred.Deferred<void>
  readonly events: AgentScriptEvents
}) => {
  const { agentId, agent, inbox, events } = input
  const step = <A, E>(name: string, effect: Effect.Effect<A, E>) =>
    effect.pipe(
      Effect.timeoutFail({ duration: input.stepTimeout, onTimeout: () => "timed out" }),
      Effect.either,
      Effect.tap((result) =>
        Either.isLeft(result) ? Effect.sync(() => events.failed(agentId, name, reasonOf(result.left))) : Effect.void,
      ),
    )
  const stopping = Deferred.isDone(input.stop)
  const workLead = (notification: Notification) =>
    Effect.gen(function* () {
      const sentAt = performance.now()
      const accepted = yield* step("accept", agent.Accept({ offerId: notification.offer.offerId }))
      if (Either.isLeft(accepted)) return
      events.assigned(agentId, sentAt, performance.now())
      if (yield* stopping) return
      yield* step("hangup", agent.Hangup())
      if (yield* stopping) return
      yield* step("wait for the call to end", nextWhere(inbox, isCallEnded))
      if (yield* stopping) return
      yield* step("outcome", agent.SubmitOutcome({ dispositionId: input.disposition }))
    })
  const stopped = Effect.as(Deferred.await(input.stop), undefined)
  return Effect.gen(function* () {
    while (!(yield* Deferred.isDone(input.stop))) {
      const notification = yield* Effect.raceFirst(next(inbox, isNotification), stopped)
      if (notification === undefined) return
      yield* workLead(notification)
    }
  })
}
