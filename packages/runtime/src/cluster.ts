import {
  RunnerAddress,
  ShardingConfig,
  SingleRunner,
  SqlMessageStorage,
  SqlRunnerStorage,
  TestRunner,
} from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { Duration, Layer, Option } from "effect"

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
 * killed runner's connections drop; what bounds a failover is noticing that the runner is gone (health checks every
 * 2 s) and re-reading the assignments (every second). A lock a runner can no longer refresh expires after 10 s, so a
 * runner cut off from the database stops its entities well before another could take them.
 */
export const multiRunnerTimings = {
  runnerHealthCheckInterval: Duration.seconds(2),
  refreshAssignmentsInterval: Duration.seconds(1),
  shardLockRefreshInterval: Duration.seconds(3),
  shardLockExpiration: Duration.seconds(10),
} satisfies Partial<ShardingConfig.ShardingConfig["Type"]>

/**
 * One runner among many on a shared PostgreSQL: messages and shard locks in SQL, runners talk over sockets. Its
 * runner storage and configuration stay in the context: `RunnerPeers` reads which runners are alive from them.
 */
export const multiRunnerCluster = (runner: { readonly host: string; readonly port: number }) => {
  const shardingConfig = {
    ...clusterTimings,
    ...multiRunnerTimings,
    runnerAddress: Option.some(RunnerAddress.make(runner.host, runner.port)),
    runnerListenAddress: Option.some(RunnerAddress.make("0.0.0.0", runner.port)),
  }
  return NodeClusterSocket.layer({ storage: "byo", shardingConfig }).pipe(
    Layer.provideMerge(Layer.orDie(SqlMessageStorage.layer)),
    Layer.provideMerge(Layer.orDie(SqlRunnerStorage.layer)),
    Layer.provideMerge(ShardingConfig.layerFromEnv(shardingConfig)),
  )
}

/** A whole in-memory cluster for tests; its background loops run on the TestClock. */
export const testCluster = TestRunner.layer
