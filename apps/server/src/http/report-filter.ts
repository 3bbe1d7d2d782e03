import { ValidationError } from "@ringmaster/protocol"
import { Either } from "effect"

const DAY_MS = 86_400_000

/** A report's period in epoch milliseconds: `from` inclusive, `to` exclusive; null is unbounded. */
export interface ReportPeriod {
  readonly from: number | null
  readonly to: number | null
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const instantPattern = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

/** The start (UTC) of a calendar day written `YYYY-MM-DD`, or undefined when there is no such day. */
const dayStart = (text: string): number | undefined => {
  const match = dayPattern.exec(text)
  if (match === null) return undefined
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const at = Date.UTC(y, m - 1, d)
  // Date.UTC rolls 2024-02-30 over to March: only a day that reads back the same exists.
  return new Date(at).toISOString().slice(0, 10) === text ? at : undefined
}

type Bound = { readonly kind: "day"; readonly at: number } | { readonly kind: "instant"; readonly at: number }

const parseBound = (field: "from" | "to", text: string): Either.Either<Bound, ValidationError> => {
  const day = dayStart(text)
  if (day !== undefined) return Either.right({ kind: "day", at: day })
  const instant = instantPattern.exec(text)
  if (instant !== null && dayStart(instant[1] ?? "") !== undefined) {
    const at = Date.parse(text)
    if (Number.isFinite(at)) return Either.right({ kind: "instant", at })
  }
  return Either.left(
    new ValidationError({
      field,
      value: text,
      message:
        `${field}: ${JSON.stringify(text)} is not an ISO 8601 date (2024-05-01, a UTC day) ` +
        `or date-time with a zone (2024-05-01T09:30:00Z)`,
    }),
  )
}

/**
 * The period of `from` and `to`. A date is a whole UTC day: `from` starts at its midnight and `to` includes it to
 * its end; a date-time is an instant, `from` inclusive and `to` exclusive. An empty period is refused naming `to`.
 */
export const parseReportPeriod = (input: {
  readonly from?: string | undefined
  readonly to?: string | undefined
}): Either.Either<ReportPeriod, ValidationError> =>
  Either.gen(function* () {
    const from = input.from === undefined ? null : yield* parseBound("from", input.from)
    const to = input.to === undefined ? null : yield* parseBound("to", input.to)
    const fromAt = from === null ? null : from.at
    const toAt = to === null ? null : to.kind === "day" ? to.at + DAY_MS : to.at
    if (fromAt !== null && toAt !== null && toAt <= fromAt) {
      return yield* Either.left(
        new ValidationError({
          field: "to",
          value: input.to ?? "",
          message: `to: ${JSON.stringify(input.to)} does not come after from: ${JSON.stringify(input.from)}`,
        }),
      )
    }
    return { from: fromAt, to: toAt }
  })

export const intakeGroupings = ["day", "agent", "campaign"] as const
export type IntakeGroupBy = (typeof intakeGroupings)[number]

const isGrouping = (text: string): text is IntakeGroupBy => (intakeGroupings as ReadonlyArray<string>).includes(text)

/** How the Intake & Consultation report is grouped: by day unless `groupBy` says agent or campaign. */
export const parseGroupBy = (text: string | undefined): Either.Either<IntakeGroupBy, ValidationError> =>
  text === undefined
    ? Either.right("day")
    : isGrouping(text)
      ? Either.right(text)
      : Either.left(
          new ValidationError({
            field: "groupBy",
            value: text,
            message: `groupBy: ${JSON.stringify(text)} is not one of ${intakeGroupings.join(", ")}`,
          }),
        )
