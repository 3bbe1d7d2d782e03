/**
 * An entity whose shard is released while its handlers are being built (they read the database: hundreds of ms under
 * load) must not be registered on the runner that released it. @effect/cluster 0.60.2 registered it: the release
 * interrupts only the entities already registered, so it lived on, stale, where its shard no longer was, and took
 * its messages again when the shard came back. Seen in the auto-dial failover test: a campaign activated on the first
 * runner as the others joined was served after the failover from state 13 s old, without being built again. Here two
 * runners in one process share a runner storage that grants each shard to one runner at a time.
 */
import {
  Entity,
  EntityId,
  MachineId,
  MessageStorage,
  type Runner,
  RunnerAddress,
  RunnerHealth,
  Runners,
  RunnerStorage,
  Sharding,
  ShardingConfig,
} from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer, Option, Schema } from "effect"

const Slow = Entity.make("Slow", [Rpc.make("Ping", { success: Schema.String })])

/** A runner storage in memory that grants each shard to one runner at a time, as the SQL storage's locks do. */
const sharedStorage = () => {
  const runners = new Map<string, Runner.Runner>()
  const holders = new Map<string, string>()
  const name = (address: RunnerAddress.RunnerAddress) => `${address.host}:${address.port}`
  let machineId = 0
  const heldBy = <S extends { toString(): string }>(address: RunnerAddress.RunnerAddress, shardIds: Iterable<S>) =>
    Array.from(shardIds).filter((s) => holders.get(s.toString()) === name(address))
  return RunnerStorage.RunnerStorage.of({
    getRunners: Effect.sync(() => Array.from(runners.values(), (r) => [r, true] as const)),
    register: (runner) =>
      Effect.sync(() => {
        runners.set(name(runner.address), runner)
        return MachineId.make(machineId++)
      }),
    unregister: (address) => Effect.sync(() => void runners.delete(name(address))),
    setRunnerHealth: () => Effect.void,
    acquire: (address, shardIds) =>
      Effect.sync(() => {
        for (const s of shardIds) if (!holders.has(s.toString())) holders.set(s.toString(), name(address))
        return heldBy(address, shardIds)
      }),
    refresh: (address, shardIds) => Effect.sync(() => heldBy(address, shardIds)),
    release: (address, shardId) =>
      Effect.sync(() => {
        if (holders.get(shardId.toString()) === name(address)) holders.delete(shardId.toString())
      }),
    releaseAll: (address) =>
      Effect.sync(() => {
        for (const [s, holder] of holders) if (holder === name(address)) holders.delete(s)
      }),
  })
}

/** A runner at `host` on the shared storage, its entity built as `build` says. */
const runnerLayer = (host: string, storage: RunnerStorage.RunnerStorage["Type"], build: Effect.Effect<void>) =>
  Slow.toLayer(
    Effect.gen(function* () {
      yield* build
      return { Ping: () => Effect.succeed(host) }
    }),
  ).pipe(
    Layer.provideMerge(Sharding.layer),
    Layer.provide(Runners.layerNoop),
    Layer.provide(MessageStorage.layerMemory),
    Layer.provide(Layer.succeed(RunnerStorage.RunnerStorage, storage)),
    Layer.provide(RunnerHealth.layerNoop),
    Layer.provide(
      ShardingConfig.layer({
        runnerAddress: Option.some(RunnerAddress.make(host, 1)),
        shardsPerGroup: 12,
        refreshAssignmentsInterval: Duration.millis(100),
        shardLockRefreshInterval: Duration.millis(100),
        entityMessagePollInterval: Duration.millis(50),
        sendRetryInterval: Duration.millis(50),
      }),
    ),
  )

describe("an entity whose shard is released while it is being built", () => {
  it.scopedLive(
    "is not registered on the runner that released the shard; the entities whose shard stayed are",
    () =>
      Effect.gen(function* () {
        const storage = sharedStorage()
        const gate = yield* Deferred.make<void>()
        const first = yield* Layer.build(runnerLayer("first", storage, Deferred.await(gate)))
        const a = yield* Sharding.Sharding.pipe(Effect.provide(first))
        // Every shard is the first runner's: twenty entities start building there, held at the gate.
        yield* Effect.sleep(Duration.millis(500))
        const ids = Array.from({ length: 20 }, (_, i) => `slow-${i}`)
        const client = yield* Slow.client.pipe(Effect.provide(first))
        const pings = yield* Effect.forEach(ids, (id) => Effect.fork(client(id).Ping()))
        yield* Effect.sleep(Duration.millis(300))

        // A second runner joins: about half of the shards move to it while their entities are still being built.
        const second = yield* Layer.build(runnerLayer("second", storage, Effect.void))
        const b = yield* Sharding.Sharding.pipe(Effect.provide(second))
        const shardOf = (id: string) => a.getShardId(EntityId.make(id), "default")
        // The second runner takes its shards within about a second (its first lock round, then the first's release).
        yield* Effect.sleep(Duration.seconds(2))
        const moved = ids.filter((id) => b.hasShardId(shardOf(id)))
        const stayed = ids.filter((id) => a.hasShardId(shardOf(id)))
        expect(moved.length).toBeGreaterThan(0)
        expect(stayed.length).toBeGreaterThan(0)
        expect(moved.length + stayed.length).toBe(ids.length)

        yield* Deferred.succeed(gate, undefined)
        yield* Effect.sleep(Duration.seconds(1))
        // The first runner keeps only the entities of the shards it still holds.
        expect(yield* a.activeEntityCount).toBe(stayed.length)
        yield* Effect.forEach(pings, Fiber.interrupt)
      }),
    20_000,
  )
})
