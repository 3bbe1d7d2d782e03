import { RunnerAddress, ShardingConfig, SingleRunner, TestRunner } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { Duration, Option } from "effect"

/**
 * Timers are persisted messages delivered at a time; the storage is polled for them, so the poll interval
 * bounds how late a timer can fire. 200 ms keeps every timer within its 1 s promise.
 */
export const clusterTimings = {
  entityMessagePollInterval: Duration.millis(200),
  entityReplyPollInterval: Duration.millis(50),
  sendRetryInterval: Duration.millis(50),
} satisfies Partial<ShardingConfig.ShardingConfig["Type"]>

/** One process, its messages stored in the database (the embedded default). */
export const singleRunnerCluster = SingleRunner.layer({
  runnerStorage: "memory",
  shardingConfig: clusterTimings,
})

/** One runner among many on a shared PostgreSQL: messages and shard locks in SQL, runners talk over sockets. */
export const multiRunnerCluster = (runner: { readonly host: string; readonly port: number }) =>
  NodeClusterSocket.layer({
    storage: "sql",
    shardingConfig: {
      ...clusterTimings,
      runnerAddress: Option.some(RunnerAddress.make(runner.host, runner.port)),
      runnerListenAddress: Option.some(RunnerAddress.make("0.0.0.0", runner.port)),
    },
  })

/** A whole in-memory cluster for tests; its background loops run on the TestClock. */
export const testCluster = TestRunner.layer
