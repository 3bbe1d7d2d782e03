import { resolveSimulatedCarrierConfig } from "@ringmaster/carrier"
import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { Either } from "effect"
import { InvalidBenchFlag, parseFlags } from "../bench/lib/flags.js"
import type { FlagSpec, FlagValues } from "../bench/lib/flags.js"

const flag = (defaultValue: number, min: number, max: number, integer: boolean, description: string) => ({
  default: defaultValue,
  min,
  max,
  integer,
  description,
})

/** Every option of `pnpm sim`, with its default and range. Durations in seconds. */
export const simFlags = {
  seed: flag(1, 0, 2 ** 31, true, "seeds every random draw: the same seed gives the same day"),
  agents: flag(25, 1, 1_000, true, "agents logged in for the whole shift"),
  hours: flag(8, 0.05, 24, false, "shift length in hours"),
  live: flag(0.2, 0, 1, false, "share of dials a person answers"),
  machine: flag(0.25, 0, 1, false, "share of dials an answering machine answers"),
  busy: flag(0.08, 0, 1, false, "share of dials that are busy"),
  disconnected: flag(0.05, 0, 1, false, "share of dials to a disconnected number (the rest ring out: no answer)"),
  "amd-accuracy": flag(0.95, 0, 1, false, "AMD right; otherwise half 'not sure' (taken for a person), half wrong"),
  "ring-min": flag(3, 0, 120, false, "ringing before a person or machine answers, from"),
  "ring-max": flag(15, 0, 120, false, "... to (uniform)"),
  "ring-timeout": flag(20, 15, 120, false, "a call nobody answers gives up after this much ringing"),
  "greeting-min": flag(1, 0, 30, false, "the person's hello (AMD decides at its end), from"),
  "greeting-max": flag(3, 0, 30, false, "... to (uniform)"),
  talk: flag(120, 1, 3_600, false, "mean talk time; drawn uniformly within ±50% of it"),
  wrap: flag(15, 0, 3_600, false, "mean wrap-up time; drawn uniformly within ±50% of it"),
  "machine-handle": flag(5, 0, 600, false, "time an agent spends on a machine AMD took for a person"),
  backlog: flag(30_000, 0, 10_000_000, true, "leads already in the pool at the start (retries, not new)"),
  "new-leads-per-hour": flag(120, 0, 100_000, false, "new leads arriving (Poisson), dialed before the backlog"),
  "max-attempts": flag(3, 1, 100, true, "dials of one lead at most in the day"),
  "retry-minutes": flag(60, 0, 24 * 60, false, "an unreached lead is ready again after this long"),
  "lines-per-agent": flag(3, 1, 20, false, "the campaign's maximum concurrent lines, per agent"),
  tick: flag(1, 0.1, 60, false, "pacing decides every this many seconds"),
} satisfies FlagSpec

export type SimFlags = FlagValues<typeof simFlags>

export interface SimOptions {
  readonly seed: number
  readonly agents: number
  readonly shiftMs: number
  readonly carrier: SimulatedCarrierConfig
  /** The dialer's ring timeout (the carrier's `noAnswerAfterMs` is the same). */
  readonly ringTimeoutMs: number
  readonly talkMs: { readonly min: number; readonly max: number }
  readonly wrapMs: { readonly min: number; readonly max: number }
  readonly machineHandleMs: number
  readonly backlog: number
  readonly newLeadsPerHour: number
  readonly maxAttempts: number
  readonly retryMs: number
  readonly maxLines: number
  readonly tickMs: number
}

const s = (seconds: number) => Math.round(seconds * 1000)
const aroundMean = (meanSeconds: number) => ({ min: s(meanSeconds * 0.5), max: s(meanSeconds * 1.5) })

const invalid = (field: string, value: number, rule: string) =>
  new InvalidBenchFlag({ field, value: String(value), message: `${field}: ${value} ${rule}` })

/** Options from flag values, checked across flags; the carrier config is checked by the carrier's own rules. */
export const simOptionsFrom = (f: SimFlags): Either.Either<SimOptions, InvalidBenchFlag> => {
  const noAnswer = 1 - f.live - f.machine - f.busy - f.disconnected
  if (noAnswer < -1e-9) {
    return Either.left(invalid("--live", f.live, "with --machine, --busy and --disconnected must add up to at most 1"))
  }
  if (f["ring-min"] > f["ring-max"])
    return Either.left(invalid("--ring-min", f["ring-min"], "must not exceed --ring-max"))
  if (f["ring-max"] > f["ring-timeout"]) {
    return Either.left(invalid("--ring-max", f["ring-max"], `must not exceed --ring-timeout (${f["ring-timeout"]})`))
  }
  if (f["greeting-min"] > f["greeting-max"]) {
    return Either.left(invalid("--greeting-min", f["greeting-min"], "must not exceed --greeting-max"))
  }
  const talkMs = aroundMean(f.talk)
  const carrier = resolveSimulatedCarrierConfig({
    seed: f.seed,
    human: f.live,
    machine: f.machine,
    busy: f.busy,
    disconnected: f.disconnected,
    noAnswer: Math.max(0, noAnswer),
    amdAccuracy: f["amd-accuracy"],
    ringMs: { min: s(f["ring-min"]), max: s(f["ring-max"]) },
    noAnswerAfterMs: s(f["ring-timeout"]),
    greetingMs: { min: s(f["greeting-min"]), max: s(f["greeting-max"]) },
    talkMs,
  })
  if (Either.isLeft(carrier)) {
    return Either.left(new InvalidBenchFlag({ ...carrier.left, message: `carrier ${carrier.left.message}` }))
  }
  return Either.right({
    seed: f.seed,
    agents: f.agents,
    shiftMs: s(f.hours * 3600),
    carrier: carrier.right,
    ringTimeoutMs: s(f["ring-timeout"]),
    talkMs,
    wrapMs: aroundMean(f.wrap),
    machineHandleMs: s(f["machine-handle"]),
    backlog: f.backlog,
    newLeadsPerHour: f["new-leads-per-hour"],
    maxAttempts: f["max-attempts"],
    retryMs: s(f["retry-minutes"] * 60),
    maxLines: Math.max(1, Math.floor(f["lines-per-agent"] * f.agents)),
    tickMs: s(f.tick),
  })
}

/** Options from the command line (`--name value`); an unknown or out-of-range flag is an error naming it. */
export const parseSimOptions = (argv: ReadonlyArray<string>): Either.Either<SimOptions, InvalidBenchFlag> =>
  Either.flatMap(parseFlags(simFlags, argv), simOptionsFrom)

/** The defaults with some flags changed, for tests. */
export const simOptions = (overrides: Partial<SimFlags> = {}): SimOptions => {
  const defaults = Object.fromEntries(Object.entries(simFlags).map(([name, spec]) => [name, spec.default]))
  const result = simOptionsFrom({ ...(defaults as SimFlags), ...overrides })
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}
