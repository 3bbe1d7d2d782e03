import { AmdMode } from "@ringmaster/carrier"
import { Either, Redacted, Schema } from "effect"

export interface TelnyxCarrierConfig {
  /** A Telnyx API v2 key; sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: Redacted.Redacted<string> | string
  /** The Call Control application (formerly connection) id every dial uses. */
  readonly connectionId: string
  /** The API root including `/v2` (default: TELNYX_BASE_URL, else https://api.telnyx.com/v2). */
  readonly baseUrl?: string
  /**
   * The most answering-machine detection this account may use (default detect_beep, i.e. whatever a dial asks for).
   * A dial asking for more is sent with this mode: "disabled" turns AMD off for every dial.
   */
  readonly amd?: AmdMode
  /** How long one HTTP attempt may take before it is abandoned and retried (default 10 000 ms). */
  readonly timeoutMs?: number
  /** Retries after a timeout, a connection failure, a 408, 409, 429 or 5xx (default 2). */
  readonly maxRetries?: number
}

export interface ResolvedTelnyxCarrierConfig {
  readonly apiKey: Redacted.Redacted<string>
  readonly connectionId: string
  readonly baseUrl: string | undefined
  readonly amd: AmdMode
  readonly timeoutMs: number
  readonly maxRetries: number
}

export class InvalidTelnyxCarrierConfig extends Schema.TaggedError<InvalidTelnyxCarrierConfig>()(
  "InvalidTelnyxCarrierConfig",
  { field: Schema.String, value: Schema.String, message: Schema.String },
) {}

const invalid = (field: string, value: string, rule: string) =>
  Either.left(new InvalidTelnyxCarrierConfig({ field, value, message: `${field}: ${value} ${rule}` }))

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

/** The config with its defaults, or the first field that breaks a rule (an API key is never shown). */
export const resolveTelnyxCarrierConfig = (
  config: TelnyxCarrierConfig,
): Either.Either<ResolvedTelnyxCarrierConfig, InvalidTelnyxCarrierConfig> => {
  const apiKey = Redacted.isRedacted(config.apiKey) ? config.apiKey : Redacted.make(config.apiKey)
  const { connectionId, baseUrl, amd = "detect_beep", timeoutMs = 10_000, maxRetries = 2 } = config
  if (Redacted.value(apiKey).trim() === "") return invalid("apiKey", "<empty>", "must be a Telnyx API key")
  if (connectionId.trim() === "") return invalid("connectionId", JSON.stringify(connectionId), "must not be empty")
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    return invalid("baseUrl", JSON.stringify(baseUrl), "must be an http(s) URL such as https://api.telnyx.com/v2")
  }
  if (!Schema.is(AmdMode)(amd)) return invalid("amd", JSON.stringify(amd), "must be disabled, detect or detect_beep")
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    return invalid("timeoutMs", String(timeoutMs), "must be a whole number of milliseconds above 0")
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    return invalid("maxRetries", String(maxRetries), "must be a whole number of 0 or more")
  }
  return Either.right({ apiKey, connectionId, baseUrl, amd, timeoutMs, maxRetries })
}
