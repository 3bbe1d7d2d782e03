import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Redacted } from "effect"
import { resolveTelnyxCarrierConfig } from "../src/index.js"
import type { TelnyxCarrierConfig } from "../src/index.js"

const valid: TelnyxCarrierConfig = { apiKey: "KEY-secret", connectionId: "1684641123236054244" }

describe("resolveTelnyxCarrierConfig", () => {
  it("fills the defaults and keeps the API key redacted", () => {
    const resolved = Either.getOrThrow(resolveTelnyxCarrierConfig(valid))
    expect(resolved).toMatchObject({
      connectionId: valid.connectionId,
      baseUrl: undefined,
      amd: "detect_beep",
      timeoutMs: 10_000,
      maxRetries: 2,
    })
    expect(Redacted.isRedacted(resolved.apiKey) && Redacted.value(resolved.apiKey)).toBe("KEY-secret")
    expect(String(resolved.apiKey)).not.toContain("KEY-secret")
  })

  it("refuses each broken field, naming it and its value, and never shows the API key", () => {
    const cases: ReadonlyArray<readonly [Partial<TelnyxCarrierConfig>, string, string]> = [
      [{ apiKey: Redacted.make("  ") }, "apiKey", "<empty>"],
      [{ connectionId: " " }, "connectionId", '" "'],
      [{ baseUrl: "api.telnyx.com/v2" }, "baseUrl", '"api.telnyx.com/v2"'],
      [{ baseUrl: "ftp://api.telnyx.com/v2" }, "baseUrl", '"ftp://api.telnyx.com/v2"'],
      [{ amd: "premium" as never }, "amd", '"premium"'],
      [{ timeoutMs: 0 }, "timeoutMs", "0"],
      [{ timeoutMs: 1.5 }, "timeoutMs", "1.5"],
      [{ maxRetries: -1 }, "maxRetries", "-1"],
    ]
    for (const [override, field, value] of cases) {
      const error = Either.flip(resolveTelnyxCarrierConfig({ ...valid, ...override }))
      expect(Either.getOrThrow(error)).toMatchObject({ _tag: "InvalidTelnyxCarrierConfig", field, value })
      expect(Either.getOrThrow(error).message).toContain(`${field}: ${value}`)
      expect(Either.getOrThrow(error).message).not.toContain("KEY-secret")
    }
  })

  it.prop(
    "accepts every whole timeout above 0 and every whole retry count from 0",
    { timeoutMs: FastCheck.integer({ min: 1, max: 600_000 }), maxRetries: FastCheck.integer({ min: 0, max: 10 }) },
    ({ timeoutMs, maxRetries }) => {
      const resolved = resolveTelnyxCarrierConfig({ ...valid, timeoutMs, maxRetries, baseUrl: "http://127.0.0.1:1/v2" })
      expect(Either.map(resolved, (config) => [config.timeoutMs, config.maxRetries])).toEqual(
        Either.right([timeoutMs, maxRetries]),
      )
    },
  )
})
