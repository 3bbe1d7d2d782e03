import { Config, ConfigError, Either, Option } from "effect"
import { isIP } from "node:net"
import { MAX_DEMO_LEADS } from "@ringmaster/store"

/** How the carrier is reached: the simulated carrier unless Telnyx credentials are given. */
export type CarrierChoice =
  | { readonly _tag: "simulated" }
  | {
      readonly _tag: "telnyx"
      readonly apiKey: string
      readonly publicKey: string
      readonly connectionId: string
      /** Where the Telnyx API is: the real one by default, a local fake in tests. */
      readonly baseUrl: string | undefined
    }

/** An Ed25519 public key as Telnyx shows it: 32 bytes in base64. */
const isEd25519PublicKey = (text: string): boolean => {
  const bytes = Buffer.from(text, "base64")
  return bytes.length === 32 && bytes.toString("base64").replace(/=+$/, "") === text.trim().replace(/=+$/, "")
}

const port = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.withDefault(fallback),
    Config.validate({
      message: `${name} must be a TCP port between 1 and 65535`,
      validation: (n) => n >= 1 && n <= 65535,
    }),
  )

const optionalText = (name: string) =>
  Config.string(name).pipe(Config.option, Config.map(Option.filter((s) => s.trim() !== "")))

export const CarrierConfig: Config.Config<CarrierChoice> = Config.all({
  apiKey: optionalText("TELNYX_API_KEY"),
  publicKey: optionalText("TELNYX_PUBLIC_KEY"),
  connectionId: optionalText("TELNYX_CONNECTION_ID"),
  baseUrl: optionalText("TELNYX_BASE_URL"),
}).pipe(
  Config.mapOrFail(
    ({ apiKey, publicKey, connectionId, baseUrl }): Either.Either<CarrierChoice, ConfigError.ConfigError> => {
      if (Option.isNone(apiKey) && Option.isNone(publicKey) && Option.isNone(connectionId)) {
        return Either.right({ _tag: "simulated" })
      }
      const missing = [
        ["TELNYX_API_KEY", apiKey],
        ["TELNYX_PUBLIC_KEY", publicKey],
        ["TELNYX_CONNECTION_ID", connectionId],
      ].filter(([, v]) => Option.isNone(v as Option.Option<string>))
      const [name] = missing[0] ?? []
      if (typeof name === "string") {
        return Either.left(
          ConfigError.MissingData([name], `${name} is required when any TELNYX_* variable is set (or unset them all)`),
        )
      }
      const key = Option.getOrThrow(publicKey)
      if (!isEd25519PublicKey(key)) {
        return Either.left(
          ConfigError.InvalidData(
            ["TELNYX_PUBLIC_KEY"],
            `TELNYX_PUBLIC_KEY: "${key}" is not a base64 Ed25519 public key (32 bytes)`,
          ),
        )
      }
      const url = Option.getOrUndefined(baseUrl)
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) {
        return Either.left(
          ConfigError.InvalidData(["TELNYX_BASE_URL"], `TELNYX_BASE_URL: "${url}" is not an http(s) URL`),
        )
      }
      return Either.right({
        _tag: "telnyx",
        apiKey: Option.getOrThrow(apiKey),
        publicKey: key,
        connectionId: Option.getOrThrow(connectionId),
        baseUrl: url,
      })
    },
  ),
)

export const ServerConfig = Config.all({
  httpPort: port("HTTP_PORT", 3000),
  /** Where other runners reach this one (multi-runner mode, with DATABASE_URL). */
  runnerHost: Config.string("RUNNER_HOST").pipe(Config.withDefault("127.0.0.1")),
  runnerPort: port("RUNNER_PORT", 34431),
  /**
   * The address the cluster port listens on. Cluster messages between runners carry no credentials, so on a machine
   * with a public interface this should be the private one.
   */
  runnerListenHost: Config.string("RUNNER_LISTEN_HOST").pipe(
    Config.withDefault("0.0.0.0"),
    Config.mapOrFail((host) =>
      isIP(host) !== 0
        ? Either.right(host)
        : Either.left(
            ConfigError.InvalidData(
              ["RUNNER_LISTEN_HOST"],
              `RUNNER_LISTEN_HOST must be an IP address of this machine (0.0.0.0 listens on every interface), got "${host}"`,
            ),
          ),
    ),
  ),
  /** Seed the demo tenant at start. Defaults to true on the embedded database, false on PostgreSQL. */
  demo: Config.boolean("DEMO").pipe(Config.option),
  /** How many leads the demo tenant starts with. */
  demoLeads: Config.integer("DEMO_LEADS").pipe(
    Config.withDefault(6),
    Config.validate({
      message: `DEMO_LEADS must be from 0 to ${MAX_DEMO_LEADS}`,
      validation: (n) => n >= 0 && n <= MAX_DEMO_LEADS,
    }),
  ),
  /** An external do-not-call registry answering `GET <url>?phone=+1...` with `{"listed": boolean}`. */
  externalDncUrl: Config.string("EXTERNAL_DNC_URL").pipe(
    Config.option,
    Config.map(Option.filter((s) => s.trim() !== "")),
    Config.validate({
      message: "EXTERNAL_DNC_URL must be an http(s) URL",
      validation: (url) => Option.isNone(url) || /^https?:\/\/\S+$/.test(url.value),
    }),
  ),
  externalDncApiKey: Config.redacted("EXTERNAL_DNC_API_KEY").pipe(Config.option),
  /** Seconds an agent may stay disconnected before it is logged out. */
  presenceGraceSeconds: Config.integer("PRESENCE_GRACE_SECONDS").pipe(
    Config.withDefault(15),
    Config.validate({ message: "PRESENCE_GRACE_SECONDS must be 0 or more", validation: (n) => n >= 0 }),
  ),
})
