import type { CarrierEvent } from "@ringmaster/protocol"
import { Chunk, Effect, Fiber, Ref, Stream } from "effect"
import type { Scope } from "effect"

/** Every event a subscriber received, in delivery order. */
export interface EventLog {
  /** As delivered, duplicates included. */
  readonly delivered: Effect.Effect<ReadonlyArray<CarrierEvent>>
  /** The first delivery of each eventId, in delivery order. */
  readonly distinct: Effect.Effect<ReadonlyArray<CarrierEvent>>
}

export const distinctEvents = (events: ReadonlyArray<CarrierEvent>): ReadonlyArray<CarrierEvent> => {
  const seen = new Set<string>()
  return events.filter((event) => !seen.has(event.eventId) && seen.add(event.eventId) !== undefined)
}

/**
 * Subscribes to `events` for the rest of the scope. Returns once the subscriber is waiting for its
 * first event, so whatever happens next is seen.
 */
export const recordEvents = (events: Stream.Stream<CarrierEvent>): Effect.Effect<EventLog, never, Scope.Scope> =>
  Effect.gen(function* () {
    const received = yield* Ref.make(Chunk.empty<CarrierEvent>())
    const subscriber = yield* Effect.forkScoped(
      Stream.runForEach(events, (event) => Ref.update(received, Chunk.append(event))),
    )
    for (let attempt = 0; ; attempt++) {
      yield* Effect.yieldNow()
      const status = yield* Fiber.status(subscriber)
      if (status._tag === "Suspended") break
      if (attempt > 10_000) return yield* Effect.dieMessage("the event subscriber never started waiting for events")
    }
    const delivered = Effect.map(Ref.get(received), Chunk.toReadonlyArray)
    return { delivered, distinct: Effect.map(delivered, distinctEvents) }
  })
