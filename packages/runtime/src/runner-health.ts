import { RunnerHealth, Runners } from "@effect/cluster"
import { Duration, Effect, Layer, Schedule } from "effect"

/**
 * How long the cluster's health check listens for a runner before it takes it for gone. The cluster's own ping check
 * gives each of six pings 10 s: a runner the others could not reach because its packets were dropped (a one-way
 * partition, where nothing refuses the connection) kept its entities, unreachable, for about a minute. Here three
 * pings of 1.5 s each, 0.5 s apart: a runner silent for 5.5 s is marked unhealthy, one that refuses connections
 * within 1 s. A runner whose event loop is blocked that long could not serve its entities either. Once it is marked,
 * the others close their connections to it (`runner-links.ts`): the network-cuts test's silent link then costs
 * agents 7.2 to 8.3 s, against 11.5 to 19.9 s without the closing.
 */
export const runnerHealthTimings = {
  pingTimeout: Duration.millis(1_500),
  pings: 3,
  spacing: Duration.millis(500),
}

/** The health check's answer for one runner: whether one of its pings was answered in time. */
export const answersPing = (
  ping: Effect.Effect<void, unknown>,
  timings: typeof runnerHealthTimings = runnerHealthTimings,
): Effect.Effect<boolean> =>
  ping.pipe(
    Effect.timeout(timings.pingTimeout),
    Effect.retry({ times: timings.pings - 1, schedule: Schedule.spaced(timings.spacing) }),
    Effect.isSuccess,
  )

/** `RunnerHealth` by pings over the runners' own protocol, with the timings above. */
export const pingedRunnerHealth: Layer.Layer<RunnerHealth.RunnerHealth, never, Runners.Runners> = Layer.effect(
  RunnerHealth.RunnerHealth,
  Effect.map(Runners.Runners, (runners) =>
    RunnerHealth.RunnerHealth.of({ isAlive: (address) => answersPing(runners.ping(address)) }),
  ),
)
