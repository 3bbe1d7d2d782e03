import { Either } from "effect"
import { InvalidBenchFlag } from "./flags.js"
import { sendOffsets } from "./open-loop.js"

/** Names a number inside a metric: 100 → "100", 2.5 → "2_5". */
export const metricNumber = (n: number): string => String(n).replace(".", "_")

/** What the metrics of a run whose agents talk `talkSeconds` end with: nothing for 0, else e.g. "_talk_60". */
export const talkSuffix = (talkSeconds: number): string => (talkSeconds > 0 ? `_talk_${metricNumber(talkSeconds)}` : "")

/**
 * The fewest agents that `rate` leads a second for `seconds` keep busy at once when each agent stays on its call
 * `talkSeconds` after taking a lead: the leads sent within any `talkSeconds` (no call of them has ended yet), so
 * every lead of the phase when the talk outlasts it. A lower bound: accepting and dialling take time too. 0 when
 * agents hang up at once (`talkSeconds` 0): they are back within round trips.
 */
export const agentsHeldAtOnce = (rate: number, seconds: number, talkSeconds: number): number => {
  if (talkSeconds <= 0) return 0
  const leads = sendOffsets(rate, seconds).length
  return Math.min(leads, Math.floor(rate * talkSeconds) + 1)
}

/** One stretch of sending: a measured phase (`--rates`, `--seconds`) or the warm-up (`--warmup` at the first rate). */
export interface SendingStretch {
  readonly rate: number
  readonly seconds: number
  readonly warmup: boolean
}

/**
 * Refuses a run with fewer `--agents` than a stretch keeps on calls at once (each stretch starts with every agent
 * free: the bench waits for the agents to finish between them). The message names the flags and their values.
 */
export const checkAgentsForTalk = (input: {
  readonly agents: number
  readonly talkSeconds: number
  readonly stretches: ReadonlyArray<SendingStretch>
}): Either.Either<void, InvalidBenchFlag> => {
  const { agents, talkSeconds } = input
  for (const stretch of input.stretches) {
    const needed = agentsHeldAtOnce(stretch.rate, stretch.seconds, talkSeconds)
    if (agents >= needed) continue
    const leads = sendOffsets(stretch.rate, stretch.seconds).length
    const what = stretch.warmup
      ? `the warm-up (--warmup ${stretch.seconds} at the first of --rates, ${stretch.rate} leads/s)`
      : `the phase at ${stretch.rate} leads/s of --rates for --seconds ${stretch.seconds}`
    const why =
      needed === leads
        ? `no call ends before its last lead is sent, so each of its ${leads} leads needs an agent of its own`
        : `the leads of any ${talkSeconds} s are all on calls at once`
    return Either.left(
      new InvalidBenchFlag({
        field: "--agents",
        value: String(agents),
        message:
          `--agents ${agents} is too few for --talk ${talkSeconds}: each agent stays on its call ${talkSeconds} s, ` +
          `and in ${what} ${why}: at least ${needed} agents; give --agents ${needed} or more, or lower --rates, ` +
          `--seconds${stretch.warmup ? ", --warmup" : ""} or --talk`,
      }),
    )
  }
  return Either.right(undefined)
}
