import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { E164 } from "../src/phone.js"
import { defaultSettings, InvalidSettings, TenantSettings, validateSettings } from "../src/settings.js"
import { runs } from "./property-runs.js"

const settingsArb = fc
  .record({
    notificationRecipients: fc.integer({ min: 1, max: 100 }),
    notificationTimeoutMs: fc.integer({ min: 1_000, max: 600_000 }),
    wrapUpLimitMs: fc.integer({ min: 1_000, max: 86_400_000 }),
    assignmentDurationMs: fc.nat(),
    assignmentWaitMs: fc.nat(),
    autoDialRatio: fc.double({ min: 1, max: 5, noNaN: true }),
    abandonmentWarnRate: fc.double({ min: 0, max: 1, noNaN: true }),
    abandonmentPauseRate: fc.double({ min: 0, max: 1, noNaN: true }),
    callingHoursStart: fc.integer({ min: 0, max: 23 }),
    callingHoursEnd: fc.integer({ min: 1, max: 24 }),
    queueDepletionThreshold: fc.nat(),
    inboundRingAgents: fc.integer({ min: 0, max: 1_000 }),
    inboundRingTimeoutMs: fc.integer({ min: 5_000, max: 300_000 }),
    inboundNoAnswerMessage: fc.string({ minLength: 1, maxLength: 300 }).filter((text) => /\S/.test(text)),
    inboundVoicemailNumber: fc.option(
      fc.stringMatching(/^\+[1-9]\d{7,14}$/).map((n) => E164.make(n)),
      { nil: null },
    ),
  })
  .filter((s) => s.callingHoursStart < s.callingHoursEnd && s.abandonmentWarnRate <= s.abandonmentPauseRate)

/** A value just outside each field's range. */
const outOfRange: ReadonlyArray<readonly [keyof TenantSettings, number]> = [
  ["notificationRecipients", 0],
  ["notificationRecipients", 101],
  ["notificationTimeoutMs", 999],
  ["wrapUpLimitMs", 86_400_001],
  ["assignmentDurationMs", -1],
  ["assignmentWaitMs", 1.5],
  ["autoDialRatio", 5.5],
  ["abandonmentPauseRate", 1.2],
  ["callingHoursStart", 24],
  ["callingHoursEnd", 0],
  ["queueDepletionThreshold", -1],
  ["inboundRingAgents", -1],
  ["inboundRingTimeoutMs", 1_000],
]

describe("settings", () => {
  it("defaults to the values of DOMAIN.md", () => {
    expect(defaultSettings).toEqual({
      notificationRecipients: 1,
      notificationTimeoutMs: 30_000,
      wrapUpLimitMs: 600_000,
      assignmentDurationMs: 2_592_000_000,
      assignmentWaitMs: 300_000,
      autoDialRatio: 2,
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
    })
    expect(validateSettings(defaultSettings)).toEqual(Either.right(defaultSettings))
    expect(Schema.is(TenantSettings)(defaultSettings)).toBe(true)
  })

  it.prop(
    "accepts every consistent setting in range",
    [settingsArb],
    ([settings]) => {
      expect(validateSettings(settings)).toEqual(Either.right(settings))
    },
    runs(),
  )

  it.prop(
    "names the field and the value that is out of range",
    [settingsArb, fc.constantFrom(...outOfRange)],
    ([settings, [field, value]]) => {
      const error = Either.getOrThrow(Either.flip(validateSettings({ ...settings, [field]: value })))
      expect(error).toBeInstanceOf(InvalidSettings)
      expect(error.field).toBe(field)
      expect(error.value).toBe(String(value))
      expect(error.message).toContain(field)
    },
    runs(),
  )

  it.prop(
    "refuses a blank or overlong no-answer message and a voicemail number that is not E.164, naming each",
    [
      settingsArb,
      fc.constantFrom<readonly [keyof TenantSettings, string]>(
        ["inboundNoAnswerMessage", ""],
        ["inboundNoAnswerMessage", "   "],
        ["inboundNoAnswerMessage", "x".repeat(3_001)],
        ["inboundVoicemailNumber", "415 555 0199"],
        ["inboundVoicemailNumber", "+0123"],
      ),
    ],
    ([settings, [field, value]]) => {
      const error = Either.getOrThrow(Either.flip(validateSettings({ ...settings, [field]: value })))
      expect([error.field, error.value]).toEqual([field, value])
      expect(error.message).toContain(field)
    },
    runs(),
  )

  it("refuses calling hours that end before they start, and a warning above the pause", () => {
    const hours = Either.getOrThrow(
      Either.flip(validateSettings({ ...defaultSettings, callingHoursStart: 21, callingHoursEnd: 8 })),
    )
    expect([hours.field, hours.value]).toEqual(["callingHoursEnd", "8"])
    const rates = Either.getOrThrow(
      Either.flip(validateSettings({ ...defaultSettings, abandonmentWarnRate: 0.05, abandonmentPauseRate: 0.03 })),
    )
    expect([rates.field, rates.value]).toEqual(["abandonmentWarnRate", "0.05"])
  })
})
