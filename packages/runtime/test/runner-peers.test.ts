import { Runner, RunnerAddress, RunnerStorage, ShardingConfig } from "@effect/cluster"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, FastCheck as fc, Fiber, Layer, Option, Queue, TestClock } from "effect"
import { multiRunnerTimings } from "../src/cluster.js"
import {
  afterLook,
  defaultPeerTimings,
  initialPeerView,
  type PeerLook,
  peerAlone,
  type PeerView,
  RunnerPeers,
} from "../src/runner-peers.js"

const timings = defaultPeerTimings
/** The cluster counts a runner alive while its registration was refreshed within this long (the servers' setting). */
const REGISTRATION_FRESH_MS = Duration.toMillis(multiRunnerTimings.shardLockExpiration)
/** How often a live runner refreshes its registration. */
const REFRESH_EVERY_MS = Duration.toMillis(multiRunnerTimings.shardLockRefreshInterval)
/** Until then anything goes; afterwards both runners look every second and B refreshes on its interval. */
const CHAOS_UNTIL = 120_000
const END = 180_000

/** A read of the registrations: sent, read by the database at `readAt`, answered. */
interface Read {
  readonly sentAt: number
  readonly readAt: number
  readonly doneAt: number
}

const freshAt = (refreshes: ReadonlyArray<number>, at: number) =>
  refreshes.some((r) => r <= at && at - r < REGISTRATION_FRESH_MS)

/** Gaps between B's refreshes: usually the cluster's interval, give or take half a second, sometimes a long lapse. */
const refreshGapArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: REFRESH_EVERY_MS - 500, max: REFRESH_EVERY_MS + 500 }) },
  { weight: 1, arbitrary: fc.integer({ min: REGISTRATION_FRESH_MS - 1_000, max: 40_000 }) },
)

/** A look: how long the read takes, and how long the runner waits after it (1 s, or a stall). */
const lookStepArb = fc.record({
  latency: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: 400, max: 9_000 }) },
  ),
  readShare: fc.double({ min: 0, max: 1, noNaN: true }),
  pause: fc.oneof(
    { weight: 8, arbitrary: fc.constant(1_000) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 25_000 }) },
  ),
})
type LookStep = typeof lookStepArb extends fc.Arbitrary<infer A> ? A : never

const readsOf = (start: number, steps: ReadonlyArray<LookStep>): Array<Read> => {
  const reads: Array<Read> = []
  let at = start
  let i = 0
  while (at < END) {
    const step = steps[i % steps.length]!
    i++
    const calm = at >= CHAOS_UNTIL
    const latency = calm ? Math.min(step.latency, 200) : step.latency
    const doneAt = at + latency
    reads.push({ sentAt: at, readAt: at + latency * step.readShare, doneAt })
    at = doneAt + (calm ? 1_000 : step.pause)
  }
  return reads
}

const refreshesOf = (first: number | null, gaps: ReadonlyArray<number>): Array<number> => {
  if (first === null) return []
  const out = [first]
  let i = 0
  while (out[out.length - 1]! < END) {
    const last = out[out.length - 1]!
    out.push(last + (last >= CHAOS_UNTIL ? REFRESH_EVERY_MS : gaps[i % gaps.length]!))
    i++
  }
  return out
}

/** A runner's view as it stands at `now`: the looks answered by then. */
const viewAt = (looks: ReadonlyArray<PeerLook>, now: number): PeerView => {
  let view = initialPeerView
  for (const look of looks) if (look.doneAt <= now) view = afterLook(view, look, timings).view
  return view
}

const scheduleArb = fc.record({
  firstRefresh: fc.option(fc.integer({ min: 0, max: 20_000 }), { freq: 8 }),
  refreshGaps: fc.array(refreshGapArb, { minLength: 1, maxLength: 40 }),
  aStart: fc.integer({ min: 0, max: 5_000 }),
  aSteps: fc.array(lookStepArb, { minLength: 1, maxLength: 40 }),
  bStart: fc.integer({ min: 0, max: 5_000 }),
  bSteps: fc.array(lookStepArb, { minLength: 1, maxLength: 40 }),
})

/**
 * Runner A, which may think itself alone, and runner B, registered (or not) with refreshes that lapse at random;
 * both look at the registrations with random delays and stalls.
 */
const play = (schedule: typeof scheduleArb extends fc.Arbitrary<infer A> ? A : never) => {
  const refreshes = refreshesOf(schedule.firstRefresh, schedule.refreshGaps)
  const aLooks: Array<PeerLook> = readsOf(schedule.aStart, schedule.aSteps).map((r) => ({
    sentAt: r.sentAt,
    doneAt: r.doneAt,
    self: true,
    others: freshAt(refreshes, r.readAt),
  }))
  let bView = initialPeerView
  const seenAgain: Array<number> = []
  for (const r of readsOf(schedule.bStart, schedule.bSteps)) {
    const look = { sentAt: r.sentAt, doneAt: r.doneAt, self: freshAt(refreshes, r.readAt), others: true }
    const wasOpen = bView.openFrom !== null
    const next = afterLook(bView, look, timings)
    bView = next.view
    if (wasOpen && next.seenAgainFrom !== null) seenAgain.push(next.seenAgainFrom)
  }
  const instants = new Set<number>()
  for (let t = 0; t <= END; t += 100) instants.add(t)
  for (const look of aLooks) instants.add(look.doneAt)
  const aloneAt = (t: number) => peerAlone(viewAt(aLooks, t), t, timings)
  return { refreshes, openFrom: bView.openFrom, seenAgain, instants: [...instants].sort((x, y) => x - y), aloneAt }
}

describe("a runner's view of the other runners (pure rules)", () => {
  it.prop(
    "never lets a runner skip a message for another runner's consoles without that runner later sending them their state afresh",
    [scheduleArb],
    ([schedule]) => {
      const { openFrom, seenAgain, instants, aloneAt } = play(schedule)
      if (openFrom === null) return
      for (const t of instants) {
        if (t < openFrom || !aloneAt(t)) continue
        // A skipped B's consoles at t: B must send them their state afresh at t or later.
        expect(seenAgain.some((s) => s >= t)).toBe(true)
      }
    },
    { fastCheck: { numRuns: 300 } },
  )

  it.prop(
    "once both runners are steady, the one alone knows it, and one with another runner alive does not skip",
    [scheduleArb],
    ([schedule]) => {
      const { refreshes, aloneAt } = play(schedule)
      expect(aloneAt(END)).toBe(refreshes.length === 0)
    },
    { fastCheck: { numRuns: 100 } },
  )

  it("opens a new runner's doors only after its registration was seen, by the delay that outlasts others' looks", () => {
    const look = (at: number, self: boolean): PeerLook => ({ sentAt: at, doneAt: at + 50, self, others: true })
    const first = afterLook(initialPeerView, look(0, false), timings)
    expect(first.view.openFrom).toBeNull()
    const second = afterLook(first.view, look(1_050, true), timings)
    expect(second.view.openFrom).toBe(1_100 + timings.seenDelayMs)
    expect(timings.seenDelayMs).toBeGreaterThan(timings.lookValidMs)
    expect(timings.stallMs).toBeLessThan(REGISTRATION_FRESH_MS)
  })
})

const me = RunnerAddress.make("runner-a", 34431)
const other = RunnerAddress.make("runner-b", 34432)
const runnerAt = (address: RunnerAddress.RunnerAddress) => Runner.make({ address, groups: ["default"], weight: 1 })

/** The layer on the cluster's in-memory runner storage, on the test clock. */
const peersOnMemoryStorage = Effect.gen(function* () {
  const storage = yield* RunnerStorage.makeMemory
  const config = ShardingConfig.layer({ runnerAddress: Option.some(me) })
  const context = yield* Layer.build(
    RunnerPeers.layer.pipe(Layer.provide(config), Layer.provide(Layer.succeed(RunnerStorage.RunnerStorage, storage))),
  )
  return { storage, peers: Layer.succeedContext(context) }
})

describe("RunnerPeers on the cluster's runner storage", () => {
  it.scoped("opens the doors after it saw itself registered, and thinks itself alone only after a while", () =>
    Effect.gen(function* () {
      const { storage, peers: context } = yield* peersOnMemoryStorage
      const peers = yield* RunnerPeers.pipe(Effect.provide(context))
      const opened = yield* Effect.fork(peers.open)
      yield* TestClock.adjust("5 seconds")
      expect(Option.isNone(yield* Fiber.poll(opened))).toBe(true)

      yield* storage.register(runnerAt(me), true)
      yield* TestClock.adjust("1 second")
      yield* TestClock.adjust(`${timings.seenDelayMs - 100} millis`)
      expect(Option.isNone(yield* Fiber.poll(opened))).toBe(true)
      yield* TestClock.adjust("200 millis")
      yield* Fiber.join(opened)

      expect(peers.alone()).toBe(false)
      yield* TestClock.adjust(`${timings.memoryMs} millis`)
      expect(peers.alone()).toBe(true)

      yield* storage.register(runnerAt(other), true)
      yield* TestClock.adjust("1 second")
      expect(peers.alone()).toBe(false)
      yield* storage.unregister(other)
      yield* TestClock.adjust(`${timings.memoryMs - 1_000} millis`)
      expect(peers.alone()).toBe(false)
      yield* TestClock.adjust("2 seconds")
      expect(peers.alone()).toBe(true)
    }),
  )

  it.scoped("signals its consoles once the others see it again after its registration lapsed", () =>
    Effect.gen(function* () {
      const { storage, peers: context } = yield* peersOnMemoryStorage
      const peers = yield* RunnerPeers.pipe(Effect.provide(context))
      const again = yield* peers.seenAgain
      yield* storage.register(runnerAt(me), true)
      yield* TestClock.adjust("10 seconds")
      expect(yield* Queue.size(again)).toBe(0)

      yield* storage.unregister(me)
      yield* TestClock.adjust("3 seconds")
      yield* storage.register(runnerAt(me), true)
      yield* TestClock.adjust("1 second")
      expect(yield* Queue.size(again)).toBe(0)
      yield* TestClock.adjust(`${timings.seenDelayMs} millis`)
      expect(yield* Queue.size(again)).toBe(1)
    }),
  )

  it.scoped("signals once a runner it saw is gone, and not while the others stay or come", () =>
    Effect.gen(function* () {
      const { storage, peers: context } = yield* peersOnMemoryStorage
      const peers = yield* RunnerPeers.pipe(Effect.provide(context))
      const departed = yield* peers.departed
      const third = RunnerAddress.make("runner-c", 34433)
      yield* storage.register(runnerAt(me), true)
      yield* storage.register(runnerAt(other), true)
      yield* TestClock.adjust("5 seconds")
      yield* storage.register(runnerAt(third), true)
      yield* TestClock.adjust("5 seconds")
      expect(yield* Queue.size(departed)).toBe(0)

      yield* storage.unregister(other)
      yield* TestClock.adjust("1 second")
      expect(yield* Queue.size(departed)).toBe(1)
      yield* TestClock.adjust("5 seconds")
      expect(yield* Queue.size(departed)).toBe(1)

      // This runner's own registration lapsing is not another runner leaving.
      yield* storage.unregister(me)
      yield* TestClock.adjust("3 seconds")
      expect(yield* Queue.size(departed)).toBe(1)
      yield* storage.unregister(third)
      yield* TestClock.adjust("1 second")
      expect(yield* Queue.size(departed)).toBe(2)
    }),
  )

  it.scoped("without an address of its own, is never alone and opens at once", () =>
    Effect.gen(function* () {
      const storage = yield* RunnerStorage.makeMemory
      const context = yield* Layer.build(
        RunnerPeers.layer.pipe(
          Layer.provide(ShardingConfig.layer({ runnerAddress: Option.none() })),
          Layer.provide(Layer.succeed(RunnerStorage.RunnerStorage, storage)),
        ),
      )
      const peers = yield* RunnerPeers.pipe(Effect.provide(context))
      const opened = yield* Deferred.make<void>()
      yield* peers.open.pipe(Effect.zipRight(Deferred.succeed(opened, undefined)), Effect.fork)
      yield* TestClock.adjust("30 seconds")
      expect(yield* Deferred.isDone(opened)).toBe(true)
      expect(peers.alone()).toBe(false)
    }),
  )
})
