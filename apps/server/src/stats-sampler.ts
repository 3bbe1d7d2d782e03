import { sampleCampaigns } from "@ringmaster/store"
import { Clock, Config, Duration, Effect, Layer, Schedule } from "effect"

/**
 * Samples every campaign's queue depth and agents per state once a period (`STATS_SAMPLE_SECONDS`, default 60), at
 * instants aligned to the period so that several runners write one sample, not one each: the supervisor's charts.
 */
export const StatsSamplerLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const seconds = yield* Config.integer("STATS_SAMPLE_SECONDS").pipe(
      Config.withDefault(60),
      Config.validate({
        message: "STATS_SAMPLE_SECONDS must be from 1 to 3600",
        validation: (n) => n >= 1 && n <= 3600,
      }),
    )
    const period = seconds * 1_000
    const sample = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      yield* sampleCampaigns(now - (now % period))
    }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("could not sample the campaigns", cause)))
    yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(Duration.millis(period))))
  }),
)
