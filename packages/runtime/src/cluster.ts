import {
  RunnerAddress,
  Runners,
  ShardingConfig,
  SingleRunner,
  SocketRunner,
  SqlMessageStorage,
  SqlRunnerStorage,
  TestRunner,
} from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { Duration, Layer, Option } from "effect"
import { pingedRunnerHealth } from "./runner-health.js"
import { closeLinksToUnhealthyRunners, linkedClientProtocol } from "./runner-links.js"

/**
 * Timers are persisted messages delivered at a time; the storage is polled for them, so the poll interval
 * bounds how late a timer can fire. 200 ms keeps every timer within its 1 s promise.
 *
 * Stopping waits at most 5 s for entities to finish, inside the 10 s a SIGTERM gives: a handler can be stuck on a
 * send to an entity that stopped first (the cluster retries it until the process is gone), and with the cluster's
 * default of 15 s that held a busy process for 15 s. Entities rebuild from their rows, so cutting one off is safe.
 *
 * A message to an entity of the same runner is handed over as it is. The cluster's default encodes and decodes it
 * with its schema, as if it went to another runner, on each of the 20 or so messages of a lead; messages to
 * other runners are still encoded, and the tests' in-memory cluster keeps the check on.
 */
export const clusterTimings = {
  entityMessagePollInterval: Duration.millis(200),
  entityReplyPollInterval: Duration.millis(50),
  sendRetryInterval: Duration.millis(50),
  entityTerminationTimeout: Duration.seconds(5),
  simulateRemoteSerialization: false,
} satisfies Partial<ShardingConfig.ShardingConfig["Type"]>

/** One process, its messages stored in the database (the embedded default). */
export const singleRunnerCluster = SingleRunner.layer({
  runnerStorage: "memory",
  shardingConfig: clusterTimings,
})

/**
 * How fast runners notice each other come and go. Shard locks are PostgreSQL advisory locks, released the moment a
 * killed runner's connections drop; what bounds a failover is noticing that the runner is gone. That happens in one
 * of two ways:
 *
 * - the cluster's health check (a singleton on one runner, every second) pings each runner; a killed one refuses
 *   three pings 0.5 s apart and is marked unhealthy, and the others re-read the assignments (every second): 3 to 5 s.
 *   A runner that answers nothing at all (a partition) is marked after about 5.5 s (`runnerHealthTimings`);
 * - when the health check itself lived on the killed runner, nobody marks it: the others drop it once its
 *   registration has gone unrefreshed for `shardLockExpiration`. At 10 s that path made the failover test's gap
 *   11 s in 3 of 12 runs (3.4 to 5.6 s in the others); at 6 s it is about 7 s.
 *
 * A live runner refreshes its registration every 2 s, so only a runner that cannot reach the database for 4 s in a
 * row is dropped; it registers again at once when it can, and the advisory locks it still holds keep its shards from
 * any other runner meanwhile. A runner whose refresh fails stops its entities within a refresh interval.
 * `RunnerPeers` relies on the same expiry (its looks are at most `stallMs`, 4 s, apart).
 */
export const multiRunnerTimings = {
  runnerHealthCheckInterval: Duration.seconds(1),
  refreshAssignmentsInterval: Duration.seconds(1),
  shardLockRefreshInterval: Duration.seconds(2),
  shardLockExpiration: Duration.seconds(6),
} satisfies Partial<ShardingConfig.ShardingConfig["Type"]>

/**
 * One runner among many on a shared PostgreSQL: messages and shard locks in SQL, runners talk over sockets. Its
 * runner storage and configuration stay in the context: `RunnerPeers` reads which runners are alive from them.
 */
export const multiRunnerCluster = (runner: {
  readonly host: string
  readonly port: number
  /** The interface the cluster port listens on (`RUNNER_LISTEN_HOST`). */
  readonly listenHost: string
}) => {
  const shardingConfig = {
    ...clusterTimings,
    ...multiRunnerTimings,
    runnerAddress: Option.some(RunnerAddress.make(runner.host, runner.port)),
    runnerListenAddress: Option.some(RunnerAddress.make(runner.listenHost, runner.port)),
  }
  // The socket runner of NodeClusterSocket.layer, with the health check of `pingedRunnerHealth` in place of its own,
  // and connections to other runners that are closed when the cluster marks their runner unhealthy.
  return SocketRunner.layer.pipe(
    Layer.provide(pingedRunnerHealth.pipe(Layer.provide(Runners.layerRpc))),
    Layer.provide(NodeClusterSocket.layerSocketServer),
    Layer.merge(closeLinksToUnhealthyRunners),
    Layer.provide(linkedClientProtocol),
    Layer.provideMerge(Layer.orDie(SqlMessageStorage.layer)),
    Layer.provideMerge(Layer.orDie(SqlRunnerStorage.layer)),
    Layer.provideMerge(ShardingConfig.layerFromEnv(shardingConfig)),
    Layer.provide(RpcSerialization.layerMsgPack),
  )
}

/** A whole in-memory cluster for tests; its background loops run on the TestClock. */
export const testCluster = TestRunner.layer
