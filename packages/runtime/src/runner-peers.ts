import { RunnerStorage, ShardingConfig } from "@effect/cluster"
import { Context, Deferred, Duration, Effect, Equal, Layer, Option, PubSub, Queue, Schedule, type Scope } from "effect"

/**
 * Which other runners are alive, as far as console messages care. A runner alone needs no NOTIFY for its consoles'
 * messages; but it must never skip one that a console on another runner needs. The runners' registrations (the
 * cluster's runner storage: a row refreshed every 2 s, counted alive while refreshed within `shardLockExpiration`,
 * 6 s, see `cluster.ts`) are read every second, and these rules make skipping safe:
 *
 * - A runner thinks itself alone only on a look sent within `lookValidMs`, after `memoryMs` of looks without a
 *   stall (looks more than `stallMs` apart), none of which found another runner.
 * - A new runner lets consoles connect `seenDelayMs` after its own look first found it registered. Any look another
 *   runner sends from then on finds it; one sent earlier no longer counts (`lookValidMs` is shorter).
 * - Another runner can miss it only while its registration has not been refreshed for that expiry. Looks at most
 *   `stallMs` (under the expiry) apart catch any refresh, so to be missed by every look of `memoryMs`, it must have
 *   gone unrefreshed for most of that time: one of its own looks found it missing, or its looks stalled. Either way,
 *   once its looks find it again, its consoles are sent their state afresh `seenDelayMs` later, when every other
 *   runner sees it: what was skipped meanwhile is made good.
 *
 * Durations are measured on each runner's own monotonic clock; registrations are timed by the database's clock.
 * `test/runner-peers.test.ts` checks these rules against schedules of looks and refreshes of two runners.
 */
export interface PeerTimings {
  readonly lookEveryMs: number
  readonly lookValidMs: number
  readonly memoryMs: number
  readonly stallMs: number
  readonly seenDelayMs: number
}

export const defaultPeerTimings: PeerTimings = {
  lookEveryMs: 1_000,
  lookValidMs: 2_000,
  memoryMs: 15_000,
  stallMs: 4_000,
  seenDelayMs: 3_000,
}

/**
 * One look at the registered runners. The database read them at some instant between `sentAt` and `doneAt` (this
 * runner's clock): each rule takes the end that errs on the safe side.
 */
export interface PeerLook {
  readonly sentAt: number
  readonly doneAt: number
  /** It found this runner's own registration. */
  readonly self: boolean
  /** It found another runner's. */
  readonly others: boolean
}

export interface PeerView {
  /** When the current unbroken series of looks began (no two reads in it more than `stallMs` apart). */
  readonly since: number | null
  readonly lastSentAt: number | null
  readonly othersSeenAt: number | null
  /** Other runners may have missed this one since its looks last found it. */
  readonly unseen: boolean
  /** Consoles may connect from then on: `seenDelayMs` after the first look that found this runner. */
  readonly openFrom: number | null
}

export const initialPeerView: PeerView = {
  since: null,
  lastSentAt: null,
  othersSeenAt: null,
  unseen: true,
  openFrom: null,
}

/**
 * The view after a look, and, when it found this runner after a time others may have missed it, the instant from
 * which every other runner sees it: its consoles may connect then (the first time) or are sent their state afresh.
 */
export const afterLook = (
  view: PeerView,
  look: PeerLook,
  timings: PeerTimings,
): { readonly view: PeerView; readonly seenAgainFrom: number | null } => {
  const stalled = view.lastSentAt !== null && look.doneAt - view.lastSentAt > timings.stallMs
  const unseen = view.unseen || stalled || !look.self
  const seenFrom = look.doneAt + timings.seenDelayMs
  const next: PeerView = {
    since: view.since === null || stalled ? look.doneAt : view.since,
    lastSentAt: look.sentAt,
    othersSeenAt: look.others ? look.doneAt : view.othersSeenAt,
    unseen: unseen && !look.self,
    openFrom: view.openFrom ?? (look.self ? seenFrom : null),
  }
  return { view: next, seenAgainFrom: unseen && look.self ? seenFrom : null }
}

/** No other runner can hold a console now: the looks are recent, unbroken for long enough, and found nobody else. */
export const peerAlone = (view: PeerView, now: number, timings: PeerTimings): boolean =>
  view.since !== null &&
  view.lastSentAt !== null &&
  now - view.lastSentAt <= timings.lookValidMs &&
  now - view.since >= timings.memoryMs &&
  (view.othersSeenAt === null || now - view.othersSeenAt > timings.memoryMs)

export class RunnerPeers extends Context.Tag("@ringmaster/runtime/RunnerPeers")<
  RunnerPeers,
  {
    /** No other runner can hold a console now: messages for consoles need not go through PostgreSQL. */
    readonly alone: () => boolean
    /** Completes once every other runner sees this one: its consoles may connect. */
    readonly open: Effect.Effect<void>
    /** A signal each time other runners may have missed this one, once they see it again. */
    readonly seenAgain: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
    /** When a look last found another runner registered (this runner's clock, ms), or null if none ever did. */
    readonly othersSeenAt: () => number | null
    /**
     * A signal each time a runner the last look found is gone (stopped, killed, or cut off from PostgreSQL so that it
     * no longer refreshes its registration): console messages it was sending may have gone with it.
     */
    readonly departed: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
  }
>() {
  /** Looks at the cluster's runner storage, where this runner is registered under its configured address. */
  static readonly layerWith = (timings: PeerTimings) =>
    Layer.scoped(
      RunnerPeers,
      Effect.gen(function* () {
        const storage = yield* RunnerStorage.RunnerStorage
        const config = yield* ShardingConfig.ShardingConfig
        const clock = yield* Effect.clock
        const opened = yield* Deferred.make<void>()
        const again = yield* PubSub.unbounded<void>()
        const gone = yield* PubSub.unbounded<void>()
        const me = config.runnerAddress
        if (Option.isNone(me)) {
          // Without an address of its own it cannot be told from the others: never alone, nothing to wait for.
          yield* Deferred.succeed(opened, undefined)
          return RunnerPeers.of({
            alone: () => false,
            open: Deferred.await(opened),
            seenAgain: PubSub.subscribe(again),
            othersSeenAt: () => null,
            departed: PubSub.subscribe(gone),
          })
        }
        const now = () => Number(clock.unsafeCurrentTimeNanos() / 1_000_000n)
        let view = initialPeerView
        /** The other runners the last look found. */
        let othersLastSeen = new Set<string>()

        const at = (instant: number, signal: Effect.Effect<unknown>) =>
          Effect.sleep(Duration.millis(Math.max(0, instant - now()))).pipe(Effect.zipRight(signal), Effect.forkScoped)

        const look = Effect.gen(function* () {
          const sentAt = now()
          const runners = yield* storage.getRunners
          const self = runners.some(([runner]) => Equal.equals(runner.address, me.value))
          const othersNow = new Set(
            runners
              .filter(([runner]) => !Equal.equals(runner.address, me.value))
              .map(([runner]) => runner.address.toString()),
          )
          const others = othersNow.size > 0
          const someoneLeft = Array.from(othersLastSeen).some((address) => !othersNow.has(address))
          othersLastSeen = othersNow
          if (someoneLeft) yield* PubSub.publish(gone, undefined)
          const wasOpen = view.openFrom !== null
          const next = afterLook(view, { sentAt, doneAt: now(), self, others }, timings)
          view = next.view
          if (!wasOpen && view.openFrom !== null) yield* at(view.openFrom, Deferred.succeed(opened, undefined))
          else if (next.seenAgainFrom !== null) yield* at(next.seenAgainFrom, PubSub.publish(again, undefined))
        })
        yield* look.pipe(
          Effect.catchAllCause((cause) => Effect.logWarning("the runners could not be read", cause)),
          Effect.repeat(Schedule.spaced(Duration.millis(timings.lookEveryMs))),
          Effect.forkScoped,
        )

        return RunnerPeers.of({
          alone: () => peerAlone(view, now(), timings),
          open: Deferred.await(opened),
          seenAgain: PubSub.subscribe(again),
          othersSeenAt: () => view.othersSeenAt,
          departed: PubSub.subscribe(gone),
        })
      }),
    )

  static readonly layer = RunnerPeers.layerWith(defaultPeerTimings)
}
