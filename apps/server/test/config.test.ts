import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { CarrierConfig, ServerConfig } from "../src/config.js"

const read = <A, E>(config: Effect.Effect<A, E>, env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env))))))

describe("server configuration", () => {
  it("defaults to port 3000, the simulated carrier and a 15 s presence grace", () => {
    const server = read(ServerConfig, {})
    expect(Either.getOrThrow(server)).toMatchObject({ httpPort: 3000, presenceGraceSeconds: 15, demoLeads: 6 })
    expect(Either.getOrThrow(read(CarrierConfig, {}))).toEqual({ _tag: "simulated" })
  })

  it("refuses an invalid HTTP_PORT, naming the variable", () => {
    for (const value of ["abc", "0", "70000"]) {
      const result = read(ServerConfig, { HTTP_PORT: value })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(String(result.left)).toContain("HTTP_PORT")
    }
  })

  it("listens for other runners on every interface unless RUNNER_LISTEN_HOST names one, and refuses a name", () => {
    expect(Either.getOrThrow(read(ServerConfig, {}))).toMatchObject({ runnerListenHost: "0.0.0.0" })
    expect(Either.getOrThrow(read(ServerConfig, { RUNNER_LISTEN_HOST: "10.0.0.5" }))).toMatchObject({
      runnerListenHost: "10.0.0.5",
    })
    for (const value of ["", "runner-1", "10.0.0"]) {
      const result = read(ServerConfig, { RUNNER_LISTEN_HOST: value })
      expect(Either.isLeft(result) && String(result.left)).toContain("RUNNER_LISTEN_HOST")
      expect(Either.isLeft(result) && String(result.left)).toContain(`got "${value}"`)
    }
  })

  it("names the missing TELNYX_* variable when only some are set", () => {
    const result = read(CarrierConfig, { TELNYX_API_KEY: "KEY123", TELNYX_PUBLIC_KEY: "cHVibGlj" })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) expect(String(result.left)).toContain("TELNYX_CONNECTION_ID")
  })

  it("chooses Telnyx when all three TELNYX_* variables are set", () => {
    const publicKey = Buffer.alloc(32, 7).toString("base64")
    const result = read(CarrierConfig, {
      TELNYX_API_KEY: "KEY123",
      TELNYX_PUBLIC_KEY: publicKey,
      TELNYX_CONNECTION_ID: "conn-1",
    })
    expect(Either.getOrThrow(result)).toMatchObject({ _tag: "telnyx", connectionId: "conn-1", publicKey })
  })

  it("refuses a TELNYX_PUBLIC_KEY that is not an Ed25519 key, and a TELNYX_BASE_URL that is not a URL", () => {
    const base = { TELNYX_API_KEY: "KEY123", TELNYX_CONNECTION_ID: "conn-1" }
    const badKey = read(CarrierConfig, { ...base, TELNYX_PUBLIC_KEY: "cHVibGlj" })
    expect(Either.isLeft(badKey) && String(badKey.left)).toContain("TELNYX_PUBLIC_KEY")
    const badUrl = read(CarrierConfig, {
      ...base,
      TELNYX_PUBLIC_KEY: Buffer.alloc(32, 7).toString("base64"),
      TELNYX_BASE_URL: "not a url",
    })
    expect(Either.isLeft(badUrl) && String(badUrl.left)).toContain("TELNYX_BASE_URL")
  })
})
