import { Either, Schema } from "effect"

/** What the far end of a simulated outbound call does. */
export const SimulatedOutcome = Schema.Literal("human", "machine", "noAnswer", "busy", "disconnected")
export type SimulatedOutcome = typeof SimulatedOutcome.Type

/** An inclusive range of milliseconds to draw a duration from. */
export interface MsRange {
  readonly min: number
  readonly max: number
}

export interface SimulatedCarrierConfig {
  /** Seeds every random draw: the same seed and the same commands give the same events. */
  readonly seed: number
  /** Relative weights of the outbound outcomes. */
  readonly human: number
  readonly machine: number
  readonly noAnswer: number
  readonly busy: number
  readonly disconnected: number
  /** Probability that AMD tells human from machine right; otherwise it says `not_sure` or the wrong one. */
  readonly amdAccuracy: number
  /** Ringing before the far end answers. */
  readonly ringMs: MsRange
  /** The ring timeout of an unanswered call is min(ringTimeoutSecs * 1000, noAnswerAfterMs). */
  readonly noAnswerAfterMs: number
  /** A machine's greeting, or a human's "hello", before MachineGreetingEnded / human detection. */
  readonly greetingMs: MsRange
  /** After the greeting, the far end talks this long, then hangs up with normal_clearing. */
  readonly talkMs: MsRange
  /** Chance (0..1) that an event is delivered twice. */
  readonly duplicateRate: number
  /** When true, each delivery is delayed by up to `reorderWindowMs`, so events close together may swap. */
  readonly reorder: boolean
  readonly reorderWindowMs: number
  /** A busy or disconnected number is rejected this long after the call is initiated. */
  readonly rejectMs: number
  /** How long AMD takes to recognise a machine (at most the greeting's length). */
  readonly amdDetectionMs: number
  /** A machine records this long after its greeting, then hangs up. */
  readonly voicemailMs: number
  /** An inbound caller nobody answers hangs up (originator_cancel) after this long. */
  readonly inboundPatienceMs: number
  /** A spoken message lasts this long per character of its text (70 ms: about 150 words a minute). */
  readonly speakMsPerChar: number
  /** An agent's leg (a dial with purpose "agent-leg") is answered this long after it is dialled, always. */
  readonly agentLegAnswerMs: number
  /** Prefix of carrier call ids; give each process its own so ids never repeat across restarts. */
  readonly idPrefix: string
}

/** The demo's carrier: every call is answered by a human who talks for one to three minutes. */
export const defaultSimulatedCarrierConfig: SimulatedCarrierConfig = {
  seed: 1,
  human: 1,
  machine: 0,
  noAnswer: 0,
  busy: 0,
  disconnected: 0,
  amdAccuracy: 1,
  ringMs: { min: 2_000, max: 4_000 },
  noAnswerAfterMs: 30_000,
  greetingMs: { min: 1_000, max: 3_000 },
  talkMs: { min: 60_000, max: 180_000 },
  duplicateRate: 0,
  reorder: false,
  reorderWindowMs: 1_000,
  rejectMs: 500,
  amdDetectionMs: 3_000,
  voicemailMs: 20_000,
  inboundPatienceMs: 60_000,
  speakMsPerChar: 70,
  agentLegAnswerMs: 200,
  idPrefix: "sim",
}

export class InvalidSimulatedCarrierConfig extends Schema.TaggedError<InvalidSimulatedCarrierConfig>()(
  "InvalidSimulatedCarrierConfig",
  { field: Schema.String, value: Schema.String, message: Schema.String },
) {}

const invalid = (field: string, value: unknown, rule: string) =>
  new InvalidSimulatedCarrierConfig({
    field,
    value: JSON.stringify(value),
    message: `${field}: ${JSON.stringify(value)} ${rule}`,
  })

const isDuration = (n: number) => Number.isFinite(n) && n >= 0

/** The first rule the config breaks, if any. */
const firstViolation = (config: SimulatedCarrierConfig): InvalidSimulatedCarrierConfig | undefined => {
  if (!Number.isFinite(config.seed)) return invalid("seed", config.seed, "must be a finite number")
  const weights = ["human", "machine", "noAnswer", "busy", "disconnected"] as const
  for (const field of weights) {
    if (!isDuration(config[field])) return invalid(field, config[field], "must be a weight of 0 or more")
  }
  const totalWeight = weights.reduce((sum, field) => sum + config[field], 0)
  if (totalWeight <= 0) return invalid("human", config.human, "and the other outcome weights must not all be 0")
  for (const field of ["amdAccuracy", "duplicateRate"] as const) {
    const value = config[field]
    if (!(value >= 0 && value <= 1)) return invalid(field, value, "must be between 0 and 1")
  }
  for (const field of ["ringMs", "greetingMs", "talkMs"] as const) {
    const { min, max } = config[field]
    if (!isDuration(min) || !isDuration(max) || min > max) {
      return invalid(field, config[field], "must be a range of milliseconds with 0 <= min <= max")
    }
  }
  const durations = [
    "noAnswerAfterMs",
    "reorderWindowMs",
    "rejectMs",
    "amdDetectionMs",
    "voicemailMs",
    "inboundPatienceMs",
    "speakMsPerChar",
    "agentLegAnswerMs",
  ] as const
  for (const field of durations) {
    if (!isDuration(config[field])) return invalid(field, config[field], "must be a duration of 0 ms or more")
  }
  if (config.idPrefix.length === 0) return invalid("idPrefix", config.idPrefix, "must not be empty")
  return undefined
}

/** The defaults overridden by the fields of `overrides` that are not undefined, checked. */
export const resolveSimulatedCarrierConfig = (
  overrides: Partial<SimulatedCarrierConfig> = {},
): Either.Either<SimulatedCarrierConfig, InvalidSimulatedCarrierConfig> => {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  const config: SimulatedCarrierConfig = { ...defaultSimulatedCarrierConfig, ...given }
  const violation = firstViolation(config)
  return violation === undefined ? Either.right(config) : Either.left(violation)
}
