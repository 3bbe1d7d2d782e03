import { Either, Schema } from "effect"

/** Hours of the day when calls may be placed, in the called person's local time; `endHour` is exclusive (21 = until 21:00). */
export const CallingWindow = Schema.Struct({
  startHour: Schema.Int.pipe(Schema.between(0, 23)),
  endHour: Schema.Int.pipe(Schema.between(1, 24)),
})
export type CallingWindow = typeof CallingWindow.Type

/** The federal default: 8:00 to 21:00 local time. */
export const defaultCallingWindow: CallingWindow = { startHour: 8, endHour: 21 }

export interface LocalTime {
  readonly hour: number
  readonly minute: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
}

// Building an Intl.DateTimeFormat is far slower than using one, and the same few zones come back for every dial.
const formatters = new Map<string, Intl.DateTimeFormat | null>()

const formatterFor = (zone: string): Intl.DateTimeFormat | null => {
  const known = formatters.get(zone)
  if (known !== undefined) return known
  let made: Intl.DateTimeFormat | null
  try {
    made = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    })
  } catch {
    made = null
  }
  formatters.set(zone, made)
  return made
}

/** True when `zone` is an IANA time-zone name this runtime knows ("America/Chicago", "UTC"). */
export const isTimeZone = (zone: string): boolean => zone !== "" && formatterFor(zone) !== null

const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/** The wall-clock time in `zone` at the instant `at` (epoch ms); undefined for an unknown zone. */
export const localTimeIn = (zone: string, at: number): LocalTime | undefined => {
  const formatter = formatterFor(zone)
  if (formatter === null) return undefined
  const parts = formatter.formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ""
  return {
    hour: Number.parseInt(part("hour"), 10),
    minute: Number.parseInt(part("minute"), 10),
    weekday: weekdays[part("weekday")] ?? 0,
  }
}

const twoDigits = (n: number): string => String(n).padStart(2, "0")

/** "08:05" */
export const formatLocalTime = (t: Pick<LocalTime, "hour" | "minute">): string =>
  `${twoDigits(t.hour)}:${twoDigits(t.minute)}`

/** "08:00 to 21:00" */
export const formatWindow = (window: CallingWindow): string =>
  `${twoDigits(window.startHour)}:00 to ${twoDigits(window.endHour)}:00`

/** Whether a local time falls inside the window (start inclusive, end exclusive). */
export const isInsideWindow = (t: Pick<LocalTime, "hour" | "minute">, window: CallingWindow): boolean => {
  const minutes = t.hour * 60 + t.minute
  return minutes >= window.startHour * 60 && minutes < window.endHour * 60
}

/** The instant is outside the calling window in `zone` (one of the zones the called person may be in). */
export class OutsideCallingHours extends Schema.TaggedError<OutsideCallingHours>()("OutsideCallingHours", {
  zone: Schema.String,
  localTime: Schema.String,
  window: CallingWindow,
  message: Schema.String,
}) {}

/** No zone is known for the called person, or a zone given is not a time-zone name: the hours cannot be checked. */
export class TimeZoneUnknown extends Schema.TaggedError<TimeZoneUnknown>()("TimeZoneUnknown", {
  zones: Schema.Array(Schema.String),
  message: Schema.String,
}) {}

export type CallingHoursRefusal = OutsideCallingHours | TimeZoneUnknown

export interface CallingHoursInput {
  /** The instant of the dial (epoch ms). */
  readonly at: number
  /** Every zone the called person may be in: the lead's own zone, or the possible zones of the number. */
  readonly zones: ReadonlyArray<string>
  readonly window: CallingWindow
}

/**
 * Allows a dial only when `at` falls inside the window in every candidate zone, so an unknown zone among several
 * possible ones is resolved to the strictest (the intersection of the windows). With no zone, or with a name that is
 * not a time zone, it refuses: a dial whose local time cannot be told is not placed.
 */
export const callingHoursCheck = (input: CallingHoursInput): Either.Either<void, CallingHoursRefusal> => {
  const { at, zones, window } = input
  const unknown = zones.filter((zone) => !isTimeZone(zone))
  if (zones.length === 0 || unknown.length > 0) {
    return Either.left(
      new TimeZoneUnknown({
        zones: [...zones],
        message:
          zones.length === 0
            ? "the local time of the called person is unknown (no time zone for the lead or its number)"
            : `the local time of the called person is unknown ("${unknown.join('", "')}" is not a time zone)`,
      }),
    )
  }
  for (const zone of zones) {
    const local = localTimeIn(zone, at)
    if (local === undefined || !isInsideWindow(local, window)) {
      const localTime = local === undefined ? "??:??" : formatLocalTime(local)
      return Either.left(
        new OutsideCallingHours({
          zone,
          localTime,
          window,
          message: `it is ${localTime} in ${zone}, and calls are allowed from ${formatWindow(window)} local time`,
        }),
      )
    }
  }
  return Either.right(undefined)
}
