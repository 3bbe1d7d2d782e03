/**
 * The lock that serialises the Campaign entity's messages: one run at a time, in the order they asked, and a run
 * interrupted while it waits (or just as the lock reaches it) neither runs nor keeps the others waiting.
 */
import { expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, FiberId } from "effect"
import fc from "fast-check"
import { FifoLock, serializedHandlers } from "../src/fifo-lock.js"

const turns = (n: number) => Effect.yieldNow().pipe(Effect.repeatN(n))

/** Lets every fiber that can run do so. */
const settle = turns(50)

it.effect("runs one at a time, in the order the runs asked for the lock", () =>
  Effect.gen(function* () {
    const lock = new FifoLock()
    const log: Array<string> = []
    const run = (name: string, busyTurns: number) =>
      lock.withLock(
        Effect.gen(function* () {
          log.push(`${name} in`)
          yield* turns(busyTurns)
          log.push(`${name} out`)
        }),
      )
    const fibers = yield* Effect.forEach(
      [
        ["a", 5],
        ["b", 0],
        ["c", 3],
      ] as const,
      ([name, busy]) => Effect.fork(run(name, busy)),
    )
    yield* Fiber.joinAll(fibers)
    expect(log).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"])
    expect(lock.waiting).toBe(0)
  }),
)

it.effect("a failing or dying run releases the lock for the next", () =>
  Effect.gen(function* () {
    const lock = new FifoLock()
    const failed = yield* Effect.exit(lock.withLock(Effect.fail("refused")))
    const died = yield* Effect.exit(lock.withLock(Effect.die("defect")))
    expect(Exit.isFailure(failed) && Exit.isFailure(died)).toBe(true)
    expect(yield* lock.withLock(Effect.succeed("next"))).toBe("next")
  }),
)

it.effect("a run interrupted just as the lock is handed to it passes the lock on without running", () =>
  Effect.gen(function* () {
    const lock = new FifoLock()
    const gate = yield* Deferred.make<void>()
    const ran: Array<string> = []
    let interruptNext = () => {}
    // The holder releases (the lock goes to `next`) and, before `next` has run, interrupts it.
    const holder = yield* Effect.fork(
      lock.withLock(Deferred.await(gate)).pipe(Effect.zipRight(Effect.sync(() => interruptNext()))),
    )
    yield* settle
    const next = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("next"))))
    const last = yield* Effect.fork(lock.withLock(Effect.sync(() => ran.push("last"))))
    interruptNext = () => next.unsafeInterruptAsFork(FiberId.none)
    yield* settle
    expect(lock.waiting).toBe(2)
    yield* Deferred.succeed(gate, undefined)
    yield* Fiber.join(holder)
    yield* settle
    const nextExit = yield* Fiber.await(next)
    yield* Fiber.join(last)
    expect(Exit.isInterrupted(nextExit)).toBe(true)
    expect(ran).toEqual(["last"])
    expect(lock.waiting).toBe(0)
  }),
)

it.effect(
  "whatever the runs, their lengths and which of them are interrupted: never two at once, in order, none stuck",
  () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              busyTurns: fc.nat({ max: 4 }),
              /** Turns of the test after which this run is interrupted, if it is. */
              interruptAfter: fc.option(fc.nat({ max: 20 }), { nil: undefined }),
              /** Turns the run waits before it asks for the lock. */
              arrivesAfter: fc.nat({ max: 6 }),
            }),
            { maxLength: 25 },
          ),
          (runs) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const lock = new FifoLock()
                const asked: Array<number> = []
                const entered: Array<number> = []
                let inside = 0
                let mostInside = 0
                const fibers = yield* Effect.forEach(runs, (r, i) =>
                  Effect.fork(
                    turns(r.arrivesAfter).pipe(
                      Effect.zipRight(Effect.sync(() => asked.push(i))),
                      Effect.zipRight(
                        lock.withLock(
                          Effect.sync(() => {
                            entered.push(i)
                            inside += 1
                            mostInside = Math.max(mostInside, inside)
                          }).pipe(
                            Effect.zipRight(turns(r.busyTurns)),
                            Effect.ensuring(Effect.sync(() => (inside -= 1))),
                          ),
                        ),
                      ),
                    ),
                  ),
                )
                for (let turn = 0; turn <= 20; turn++) {
                  for (const [i, r] of runs.entries()) {
                    const fiber = fibers[i]
                    if (r.interruptAfter === turn && fiber !== undefined) yield* Fiber.interruptFork(fiber)
                  }
                  yield* Effect.yieldNow()
                }
                yield* Effect.forEach(fibers, Fiber.await)

                expect(mostInside).toBeLessThanOrEqual(1)
                // Runs enter in the order they asked (some asked and were interrupted before their turn).
                expect(entered).toEqual(asked.filter((i) => entered.includes(i)))
                for (const [i, r] of runs.entries()) {
                  if (r.interruptAfter === undefined) expect(entered).toContain(i)
                }
                expect(lock.waiting).toBe(0)
                const after = yield* Effect.fork(lock.withLock(Effect.succeed("free")))
                yield* settle
                const exit = after.unsafePoll()
                expect(exit !== null && Exit.isSuccess(exit)).toBe(true)
              }),
            ),
        ),
        { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) },
      ),
    ),
)

it.effect("serializedHandlers runs an entity's handlers one message at a time", () =>
  Effect.gen(function* () {
    const gate = yield* Deferred.make<void>()
    const log: Array<string> = []
    const handlers = serializedHandlers({
      Slow: () =>
        Effect.gen(function* () {
          log.push("slow in")
          yield* Deferred.await(gate)
          log.push("slow out")
        }),
      Fast: () => Effect.sync(() => log.push("fast")),
    })
    const slow = yield* Effect.fork(handlers.Slow())
    yield* settle
    const fast = yield* Effect.fork(handlers.Fast())
    yield* settle
    expect(log).toEqual(["slow in"])
    yield* Deferred.succeed(gate, undefined)
    yield* Fiber.join(slow)
    yield* Fiber.join(fast)
    expect(log).toEqual(["slow in", "slow out", "fast"])
  }),
)
