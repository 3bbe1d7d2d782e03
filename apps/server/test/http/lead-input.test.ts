import { describe, expect, it } from "@effect/vitest"
import { LeadStatusId, LeadTypeId, Region } from "@ringmaster/domain"
import { FastCheck as fc } from "effect"
import { checkNewLead, checkTimeZone, NAME_MAX } from "../../src/http/lead-input.js"

const runs = () => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { numRuns: Number.isInteger(parsed) && parsed > 0 ? parsed : 200 }
}

const injury = LeadTypeId.make("injury")
const tenant = {
  region: Region.make("US"),
  campaignIds: new Set(["intake"]),
  leadTypes: new Map([
    [injury, { id: injury, name: "Injury", initialStatusId: LeadStatusId.make("new"), priorityZero: false }],
  ]),
}
const good = { name: "Maria Garcia", phone: "(415) 555-2671", leadTypeId: "injury", campaignId: "intake" }

describe("a new lead's fields", () => {
  it("takes a good lead with its phone in E.164 and the type's initial status", () => {
    expect(checkNewLead({ ...good, email: " m@example.com " }, tenant)).toEqual({
      issues: [],
      lead: {
        name: "Maria Garcia",
        phone: "+14155552671",
        email: "m@example.com",
        notes: "",
        campaignId: "intake",
        leadTypeId: "injury",
        statusId: "new",
      },
    })
  })

  it("leaves the campaign to the insert when told to: an unknown one is then no issue here", () => {
    const elsewhere = { ...good, campaignId: "not-ours" }
    expect(checkNewLead(elsewhere, tenant).issues.map((i) => i.field)).toEqual(["campaignId"])
    const unchecked = checkNewLead(elsewhere, { ...tenant, campaignIds: null })
    expect([unchecked.issues, unchecked.lead?.campaignId]).toEqual([[], "not-ours"])
  })

  it("names every bad field with the value given, and returns no lead", () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.constantFrom(good.name, "", "   ", "x".repeat(NAME_MAX + 1)),
          phone: fc.constantFrom(good.phone, "12", "not a phone"),
          email: fc.constantFrom(undefined, null, "", "a@b.co", "nope"),
          campaignId: fc.constantFrom("intake", "other"),
          leadTypeId: fc.constantFrom("injury", "other"),
        }),
        (input) => {
          const result = checkNewLead(input, tenant)
          const expected = [
            ...(input.name.trim() === "" || input.name.length > NAME_MAX ? [["name", input.name]] : []),
            ...(input.phone === good.phone ? [] : [["phone", input.phone]]),
            ...(input.email === "nope" ? [["email", "nope"]] : []),
            ...(input.campaignId === "intake" ? [] : [["campaignId", input.campaignId]]),
            ...(input.leadTypeId === "injury" ? [] : [["leadTypeId", input.leadTypeId]]),
          ]
          expect(result.issues.map((i) => [i.field, i.value])).toEqual(expected)
          for (const i of result.issues) expect(i.message).toContain(i.field)
          expect(result.lead === null).toBe(expected.length > 0)
        },
      ),
      runs(),
    )
  })
})

describe("a lead's time zone", () => {
  it("is an IANA zone, or none", () => {
    expect(checkTimeZone("America/Chicago")).toBe("America/Chicago")
    expect(checkTimeZone(null)).toBeNull()
    expect(checkTimeZone("")).toBeNull()
    expect(checkTimeZone("Mars/Olympus")).toMatchObject({ field: "timeZone", value: "Mars/Olympus" })
  })
})
