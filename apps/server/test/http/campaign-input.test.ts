import { describe, expect, it } from "@effect/vitest"
import { CampaignId, Region, TenantId } from "@ringmaster/domain"
import type { CampaignSettings } from "@ringmaster/store"
import { Either, FastCheck as fc } from "effect"
import { campaignSettingsOf, campaignView, DIAL_RATIO_PRESETS } from "../../src/http/campaign-input.js"

const runs = () => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { numRuns: Number.isInteger(parsed) && parsed > 0 ? parsed : 200 }
}

const defaults = { region: Region.make("US"), dialRatio: 2 }
const base = campaignSettingsOf({ name: "Intake", callerId: "+1 415 555 0100" }, null, defaults).pipe(Either.getOrThrow)

describe("campaign settings", () => {
  it("starts manual, balanced 2:1, AMD on and 100 lines, with the caller id in E.164", () => {
    expect(base).toEqual({
      name: "Intake",
      mode: "manual",
      dialRatio: 2,
      pacing: "preset",
      amdMode: "detect",
      maxLines: 100,
      amdNotSure: "human",
      machineMessage: null,
      abandonMessage: "Sorry we missed you. We will call you back shortly.",
      callerId: "+14155550100",
    })
  })

  it("takes the auto-dialer's messages and what AMD's 'not sure' means, refusing bad ones naming the field", () => {
    const set = Either.getOrThrow(
      campaignSettingsOf({ amdNotSure: "machine", machineMessage: "Please call us back." }, base, defaults),
    )
    expect(set).toMatchObject({ amdNotSure: "machine", machineMessage: "Please call us back." })
    expect(Either.getOrThrow(campaignSettingsOf({ machineMessage: null }, set, defaults)).machineMessage).toBeNull()
    const refusals = [
      campaignSettingsOf({ amdNotSure: "maybe" }, base, defaults),
      campaignSettingsOf({ machineMessage: "   " }, base, defaults),
      campaignSettingsOf({ abandonMessage: "x".repeat(3_001) }, base, defaults),
    ].map((r) => Either.flip(r).pipe(Either.getOrThrow).field)
    expect(refusals).toEqual(["amdNotSure", "machineMessage", "abandonMessage"])
  })

  it("takes exactly the presets 1.5, 2 and 3 and adaptive; any other ratio is refused naming the value", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(1.5, 2, 3), fc.string()), (ratio) => {
        const result = campaignSettingsOf({ dialRatio: ratio }, base, defaults)
        const preset = DIAL_RATIO_PRESETS.some((p) => p === Number(ratio)) && String(ratio).trim() !== ""
        if (ratio === "adaptive") expect(Either.getOrThrow(result).pacing).toBe("adaptive")
        else if (preset) expect(Either.getOrThrow(result)).toMatchObject({ dialRatio: Number(ratio), pacing: "preset" })
        else
          expect(Either.flip(result).pipe(Either.getOrThrow)).toMatchObject({
            field: "dialRatio",
            value: String(ratio),
          })
      }),
      runs(),
    )
  })

  it("keeps every setting not given, and shows a stored campaign as it was set", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            mode: fc.constantFrom("manual", "auto"),
            dialRatio: fc.constantFrom<number | string>(1.5, 2, 3, "adaptive"),
            amdMode: fc.constantFrom("disabled", "detect", "detect_beep"),
            maxLines: fc.integer({ min: 1, max: 1_000 }),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          const settings: CampaignSettings = Either.getOrThrow(campaignSettingsOf(input, base, defaults))
          expect(settings.name).toBe(base.name)
          expect(settings.callerId).toBe(base.callerId)
          expect(settings.mode).toBe(input.mode ?? base.mode)
          expect(settings.amdMode).toBe(input.amdMode ?? base.amdMode)
          expect(settings.maxLines).toBe(input.maxLines ?? base.maxLines)
          const view = campaignView({
            ...settings,
            id: CampaignId.make("c"),
            tenantId: TenantId.make("t"),
            paused: false,
            pausedAt: null,
            createdAt: 0,
            updatedAt: null,
          })
          expect(view.dialRatio).toBe(input.dialRatio ?? base.dialRatio)
        },
      ),
      runs(),
    )
  })

  it("refuses lines out of range, an unknown mode or AMD mode, and a missing name or caller id, by field", () => {
    const field = (input: Parameters<typeof campaignSettingsOf>[0], current: CampaignSettings | null = base) =>
      Either.flip(campaignSettingsOf(input, current, defaults)).pipe(Either.getOrThrow).field
    expect(field({ maxLines: 0 })).toBe("maxLines")
    expect(field({ maxLines: 1.5 })).toBe("maxLines")
    expect(field({ mode: "turbo" })).toBe("mode")
    expect(field({ amdMode: "guess" })).toBe("amdMode")
    expect(field({ callerId: "12" })).toBe("callerId")
    expect(field({ callerId: "+14155550100" }, null)).toBe("name")
    expect(field({ name: "X" }, null)).toBe("callerId")
  })
})
