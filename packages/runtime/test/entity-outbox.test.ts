/**
 * The outbox through which entities tell each other things: the sender goes on at once, whatever the receiver is
 * doing, and each receiver gets its messages in the order they were told. This is what keeps two entities on two
 * runners from waiting for each other forever (see entity-outbox.ts).
 */
import { expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import fc from "fast-check"
import { EntityOutbox } from "../src/entity-outbox.js"

const withOutbox = <A, E>(body: Effect.Effect<A, E, EntityOutbox>) =>
  body.pipe(Effect.provide(EntityOutbox.layer), Effect.scoped)

it.effect("the sender goes on while the receiver is still busy with an earlier message", () =>
  withOutbox(
    Effect.gen(function* () {
      const outbox = yield* EntityOutbox
      const receiverFree = yield* Deferred.make<void>()
      const received: Array<string> = []
      // The receiver handles the first message only once it is free: a send that waited for it would never return.
      yield* outbox.tell(
        "Agent/a",
        Deferred.await(receiverFree).pipe(Effect.zipRight(Effect.sync(() => received.push("bridged")))),
      )
      yield* outbox.tell(
        "Agent/a",
        Effect.sync(() => received.push("ended")),
      )
      expect(received).toEqual([])
      yield* Deferred.succeed(receiverFree, undefined)
      yield* Effect.yieldNow().pipe(Effect.repeatN(10))
      expect(received).toEqual(["bridged", "ended"])
    }),
  ),
)

it.effect("a receiver busy for long does not hold up the messages to another", () =>
  withOutbox(
    Effect.gen(function* () {
      const outbox = yield* EntityOutbox
      const never = yield* Deferred.make<void>()
      const received: Array<string> = []
      yield* outbox.tell("Agent/busy", Deferred.await(never))
      yield* outbox.tell(
        "Agent/free",
        Effect.sync(() => received.push("offer")),
      )
      yield* Effect.yieldNow().pipe(Effect.repeatN(10))
      expect(received).toEqual(["offer"])
    }),
  ),
)

it.effect("a message that cannot be delivered is logged, and the next ones still arrive", () =>
  withOutbox(
    Effect.gen(function* () {
      const outbox = yield* EntityOutbox
      const received: Array<string> = []
      yield* outbox.tell("Call/c", Effect.fail("mailbox full"))
      yield* outbox.tell("Call/c", Effect.die("runner gone"))
      yield* outbox.tell(
        "Call/c",
        Effect.sync(() => received.push("agent-found")),
      )
      yield* Effect.yieldNow().pipe(Effect.repeatN(10))
      expect(received).toEqual(["agent-found"])
    }),
  ),
)

it.effect("whatever the receivers and however slow each delivery, each receiver gets its messages in order", () =>
  Effect.promise(() =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ receiver: fc.constantFrom("A", "B", "C"), delay: fc.nat({ max: 3 }) }), {
          maxLength: 40,
        }),
        (messages) =>
          Effect.runPromise(
            withOutbox(
              Effect.gen(function* () {
                const outbox = yield* EntityOutbox
                const received = new Map<string, Array<number>>()
                const all = yield* Deferred.make<void>()
                let left = messages.length
                if (left === 0) yield* Deferred.succeed(all, undefined)
                for (const [i, m] of messages.entries()) {
                  // A delivery takes `delay` turns of the scheduler, as a round trip to another runner would.
                  const deliver = Effect.yieldNow().pipe(
                    Effect.repeatN(m.delay),
                    Effect.zipRight(
                      Effect.sync(() => {
                        received.set(m.receiver, [...(received.get(m.receiver) ?? []), i])
                        left -= 1
                      }),
                    ),
                    Effect.zipRight(
                      Effect.suspend(() => (left === 0 ? Deferred.succeed(all, undefined) : Effect.void)),
                    ),
                  )
                  yield* outbox.tell(m.receiver, deliver)
                }
                const waited = yield* Effect.fork(Deferred.await(all))
                yield* Fiber.join(waited)
                for (const [receiver, got] of received) {
                  const told = messages.flatMap((m, i) => (m.receiver === receiver ? [i] : []))
                  expect(got).toEqual(told)
                }
              }),
            ),
          ),
      ),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) },
    ),
  ),
)
