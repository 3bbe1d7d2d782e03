import { Either, Schema } from "effect"
import { firstFieldIssue } from "./field-issue.js"
import { E164 } from "./phone.js"

const intBetween = (min: number, max: number) => Schema.Int.pipe(Schema.between(min, max))
const nonNegativeInt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))
/** A fraction of live-answered calls (0.03 is 3%). */
const rate = Schema.Number.pipe(Schema.between(0, 1))

/** A tenant's tunable settings; durations in milliseconds, calling hours in the lead's local hours. */
export const TenantSettings = Schema.Struct({
  notificationRecipients: intBetween(1, 100),
  notificationTimeoutMs: intBetween(1_000, 600_000),
  wrapUpLimitMs: intBetween(1_000, 86_400_000),
  assignmentDurationMs: nonNegativeInt,
  assignmentWaitMs: nonNegativeInt,
  autoDialRatio: Schema.Number.pipe(Schema.between(1, 5)),
  abandonmentWarnRate: rate,
  abandonmentPauseRate: rate,
  callingHoursStart: intBetween(0, 23),
  callingHoursEnd: intBetween(1, 24),
  queueDepletionThreshold: nonNegativeInt,
  /** How many available agents an inbound call rings at once; 0 rings every one of them. */
  inboundRingAgents: intBetween(0, 1_000),
  /** How long an inbound call rings before the caller hears the closing message and a callback task is made. */
  inboundRingTimeoutMs: intBetween(5_000, 300_000),
  /** What an inbound caller nobody answered hears before the call ends (spoken; a carrier takes 3,000 characters). */
  inboundNoAnswerMessage: Schema.String.pipe(Schema.pattern(/\S/), Schema.maxLength(3_000)),
  /** Where an inbound caller nobody answered goes after the message; null ends the call. */
  inboundVoicemailNumber: Schema.NullOr(E164),
})
export type TenantSettings = typeof TenantSettings.Type

const minute = 60_000
const day = 24 * 60 * minute

export const defaultSettings: TenantSettings = {
  notificationRecipients: 1,
  notificationTimeoutMs: 30_000,
  wrapUpLimitMs: 10 * minute,
  assignmentDurationMs: 30 * day,
  assignmentWaitMs: 5 * minute,
  autoDialRatio: 2.0,
  abandonmentWarnRate: 0.025,
  abandonmentPauseRate: 0.03,
  callingHoursStart: 8,
  callingHoursEnd: 21,
  queueDepletionThreshold: 5,
  inboundRingAgents: 0,
  inboundRingTimeoutMs: 30_000,
  inboundNoAnswerMessage:
    "Sorry, nobody is free to take your call right now. We have your number and will call you back soon. Goodbye.",
  inboundVoicemailNumber: null,
}

export class InvalidSettings extends Schema.TaggedError<InvalidSettings>()("InvalidSettings", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

const decodeSettings = Schema.decodeUnknownEither(TenantSettings)

/**
 * Decodes settings and checks what one field cannot: calling hours start before they end, and the
 * abandonment warning comes no later than the pause. Errors name the field and its value.
 */
export const validateSettings = (input: unknown): Either.Either<TenantSettings, InvalidSettings> =>
  Either.flatMap(
    Either.mapLeft(decodeSettings(input), (error) => new InvalidSettings(firstFieldIssue(error, input, "settings"))),
    (s): Either.Either<TenantSettings, InvalidSettings> => {
      if (s.callingHoursEnd <= s.callingHoursStart) {
        return Either.left(
          new InvalidSettings({
            field: "callingHoursEnd",
            value: String(s.callingHoursEnd),
            message: `callingHoursEnd: ${s.callingHoursEnd} must be after callingHoursStart (${s.callingHoursStart})`,
          }),
        )
      }
      if (s.abandonmentWarnRate > s.abandonmentPauseRate) {
        return Either.left(
          new InvalidSettings({
            field: "abandonmentWarnRate",
            value: String(s.abandonmentWarnRate),
            message:
              `abandonmentWarnRate: ${s.abandonmentWarnRate} must not exceed ` +
              `abandonmentPauseRate (${s.abandonmentPauseRate})`,
          }),
        )
      }
      return Either.right(s)
    },
  )
