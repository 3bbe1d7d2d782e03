import { Either, Schema } from "effect"
import { callingHoursCheck, type CallingWindow, formatWindow } from "./calling-hours.js"
import { firstFieldIssue } from "./field-issue.js"

/** The name of every US state, the District of Columbia and the inhabited territories, by postal code. */
export const usStateNames = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
  DC: "District of Columbia",
  PR: "Puerto Rico",
  GU: "Guam",
  VI: "U.S. Virgin Islands",
  AS: "American Samoa",
  MP: "Northern Mariana Islands",
} as const

export type UsState = keyof typeof usStateNames
const usStateCodes = Object.keys(usStateNames) as Array<UsState>

/** A two-letter US postal code: a state, DC or an inhabited territory. */
export const UsState = Schema.Literal(...usStateCodes)

export const isUsState = Schema.is(UsState)

/** A tenant's stricter rule for one state: its own calling hours, and at most so many calls to a number per 24 hours. */
export const StateRule = Schema.Struct({
  state: UsState,
  startHour: Schema.Int.pipe(Schema.between(0, 23)),
  endHour: Schema.Int.pipe(Schema.between(1, 24)),
  maxCallsPer24h: Schema.NullOr(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))),
})
export type StateRule = typeof StateRule.Type

export class InvalidStateRule extends Schema.TaggedError<InvalidStateRule>()("InvalidStateRule", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

const decodeStateRule = Schema.decodeUnknownEither(StateRule)

/** Decodes a state rule and checks that its hours start before they end; errors name the field and the value. */
export const validateStateRule = (input: unknown): Either.Either<StateRule, InvalidStateRule> =>
  Either.flatMap(
    Either.mapLeft(decodeStateRule(input), (error) => new InvalidStateRule(firstFieldIssue(error, input, "stateRule"))),
    (rule): Either.Either<StateRule, InvalidStateRule> =>
      rule.endHour <= rule.startHour
        ? Either.left(
            new InvalidStateRule({
              field: "endHour",
              value: String(rule.endHour),
              message: `endHour: ${rule.endHour} must be after startHour (${rule.startHour})`,
            }),
          )
        : Either.right(rule),
  )

export const stateRuleWindow = (rule: StateRule): CallingWindow => ({
  startHour: rule.startHour,
  endHour: rule.endHour,
})

/** A dial the state's rule forbids: outside its hours, or one call too many in 24 hours. */
export class StateRuleViolation extends Schema.TaggedError<StateRuleViolation>()("StateRuleViolation", {
  state: UsState,
  kind: Schema.Literal("hours", "frequency"),
  message: Schema.String,
}) {}

export interface StateRuleInput {
  readonly rule: StateRule
  /** The instant of the dial (epoch ms). */
  readonly at: number
  /** Every zone the called person may be in (the strictest decides, as for the general calling hours). */
  readonly zones: ReadonlyArray<string>
  /** Calls already placed to the number in the 24 hours before `at`. */
  readonly callsInLast24h: number
}

/** Applies a state's rule: its hours in every candidate zone first, then its limit of calls per 24 hours. */
export const stateRuleCheck = (input: StateRuleInput): Either.Either<void, StateRuleViolation> => {
  const { rule } = input
  const name = usStateNames[rule.state]
  const hours = callingHoursCheck({ at: input.at, zones: input.zones, window: stateRuleWindow(rule) })
  if (Either.isLeft(hours)) {
    const refusal = hours.left
    const when =
      refusal._tag === "OutsideCallingHours"
        ? `it is ${refusal.localTime} in ${refusal.zone}`
        : "the local time is unknown"
    return Either.left(
      new StateRuleViolation({
        state: rule.state,
        kind: "hours",
        message: `${name} allows calls from ${formatWindow(stateRuleWindow(rule))} local time, and ${when}`,
      }),
    )
  }
  if (rule.maxCallsPer24h !== null && input.callsInLast24h >= rule.maxCallsPer24h) {
    return Either.left(
      new StateRuleViolation({
        state: rule.state,
        kind: "frequency",
        message:
          `${name} allows at most ${rule.maxCallsPer24h} calls to a number in 24 hours, ` +
          `and ${input.callsInLast24h} were placed`,
      }),
    )
  }
  return Either.right(undefined)
}
