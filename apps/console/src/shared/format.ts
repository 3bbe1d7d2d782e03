import { parsePhoneNumberFromString } from "libphonenumber-js/min"

const pad = (n: number) => String(n).padStart(2, "0")

/** A duration as a clock shows it: "0:07", "12:30", "1:02:03". Negative durations show as "0:00". */
export const formatDuration = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`
}

/** A wait that is often short (speed to lead): "0.4 s", "12 s", then as a clock from a minute on. */
export const formatLatency = (ms: number): string => {
  if (ms < 0) return "0 ms"
  // Ringmaster's speed-to-lead is usually well under a second: milliseconds say more than "0.0 s".
  if (ms < 999.5) return `${Math.round(ms)} ms`
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`
  return formatDuration(ms)
}

/**
 * A stored (E.164) number as people read it: "+1 415 555 2671", "+44 20 7946 0958"; international, because a center
 * may call abroad, and a number read out must not lose its country. Anything else (a SIP URI) shows as it is.
 */
export const formatPhone = (phone: string): string => {
  if (!phone.startsWith("+")) return phone
  const text = parsePhoneNumberFromString(phone)?.formatInternational()
  // The grouping may drop a digit of a number it does not know (a national "0" taken for a trunk prefix): the digits
  // an agent reads must be the ones dialled.
  return text !== undefined && text.replace(/[^+\d]/g, "") === phone ? text : phone
}

/** Local date and time, short. */
export const formatDateTime = (at: number): string =>
  new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })

/** Local time of day, "14:05". */
export const formatClock = (at: number): string => {
  const d = new Date(at)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "never", "just now", "5 min ago", "3 h ago", "2 days ago". */
export const formatAgo = (at: number | null, now: number): string => {
  if (at === null) return "never"
  const seconds = Math.max(0, Math.floor((now - at) / 1000))
  if (seconds < 60) return "just now"
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  const days = Math.floor(seconds / 86_400)
  return days === 1 ? "1 day ago" : `${days} days ago`
}

/** A rate in [0, 1] as a percentage with one decimal; null as a dash. */
export const formatPercent = (rate: number | null): string => (rate === null ? "—" : `${(rate * 100).toFixed(1)} %`)

/** The agent states as people say them. */
export const stateLabel = (state: string): string =>
  ({ OnBreak: "On break", OnCall: "On call", WrapUp: "Wrap-up" })[state] ?? state
