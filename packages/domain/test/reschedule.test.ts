import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { attemptsAllowed, type Cadence } from "../src/cadence.js"
import { LeadId, LeadStatusId } from "../src/ids.js"
import { applyOutcome, type Disposition } from "../src/outcome.js"
import { rescheduleLead, retimeWaitingLead } from "../src/reschedule.js"
import { epochArb, statusIdArb, statusPool } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const day = 86_400_000
const cadenceArb: fc.Arbitrary<Cadence> = fc.record({
  delaysMs: fc.array(fc.integer({ min: 0, max: 7 * day }), { maxLength: 4 }),
  priority: fc.integer({ min: 1, max: 5 }),
  finalStatusId: statusIdArb,
  maxAttempts: fc.integer({ min: 1, max: 6 }),
})
const cadencesArb = fc.dictionary(statusIdArb, cadenceArb, { maxKeys: statusPool.length })

describe("rescheduleLead", () => {
  it.prop(
    "with the cadence unchanged, it finds the next attempt the outcome scheduled",
    [cadencesArb, statusIdArb, statusIdArb, fc.integer({ min: 0, max: 6 }), epochArb, fc.boolean()],
    ([cadences, from, to, attemptsInStatus, at, keep]) => {
      const disposition: Disposition = {
        id: "d" as Disposition["id"],
        label: "d",
        kind: keep ? "cadence" : "status",
        statusId: keep ? null : to,
      }
      const result = applyOutcome({
        lead: { leadId: LeadId.make("l"), statusId: from, attemptsInStatus, attempts: attemptsInStatus },
        priorityZero: false,
        disposition,
        cadenceOf: (s) => cadences[s],
        at,
      })
      const outcome = Either.getOrThrow(result)
      const again = rescheduleLead({
        cadence: cadences[outcome.statusId],
        attemptsInStatus: outcome.attemptsInStatus,
        lastContactAt: at,
        enteredAt: at - 1,
      })
      if (outcome.nextAttemptAt === null) expect(again._tag).not.toBe("At")
      else expect(again).toEqual({ _tag: "At", at: outcome.nextAttemptAt })
    },
    runs(),
  )

  it.prop(
    "a longer first delay never brings a waiting lead forward",
    [cadenceArb, fc.integer({ min: 1, max: day }), fc.integer({ min: 0, max: 5 }), epochArb],
    ([cadence, extra, attemptsInStatus, at]) => {
      const longer = { ...cadence, delaysMs: cadence.delaysMs.map((d) => d + extra) }
      const input = { attemptsInStatus, lastContactAt: at, enteredAt: at }
      const before = rescheduleLead({ ...input, cadence })
      const after = rescheduleLead({ ...input, cadence: longer })
      if (before._tag === "At" && after._tag === "At") expect(after.at).toBeGreaterThanOrEqual(before.at)
      expect(after._tag).toBe(before._tag)
    },
    runs(),
  )

  it("a never-called lead is due when it was created; a terminal status is never due", () => {
    const cadence: Cadence = { delaysMs: [1000], priority: 1, finalStatusId: LeadStatusId.make("x"), maxAttempts: 3 }
    expect(rescheduleLead({ cadence, attemptsInStatus: 0, lastContactAt: null, enteredAt: 42 })).toEqual({
      _tag: "At",
      at: 42,
    })
    expect(rescheduleLead({ cadence: undefined, attemptsInStatus: 0, lastContactAt: null, enteredAt: 42 })._tag).toBe(
      "Terminal",
    )
  })

  it("a cadence shortened below the attempts made fires its final trigger", () => {
    const cadence: Cadence = { delaysMs: [1000], priority: 1, finalStatusId: LeadStatusId.make("gone"), maxAttempts: 1 }
    expect(rescheduleLead({ cadence, attemptsInStatus: 2, lastContactAt: 10, enteredAt: 0 })).toEqual({
      _tag: "Exhausted",
      finalStatusId: "gone",
    })
  })
})

describe("retimeWaitingLead", () => {
  const leadArb = fc.record({
    statusId: statusIdArb,
    attemptsInStatus: fc.integer({ min: 0, max: 8 }),
    lastContactAt: fc.option(epochArb, { nil: null }),
    enteredAt: epochArb,
  })

  it.prop(
    "re-timing a lead twice under the same cadences moves it no further",
    [cadencesArb, leadArb, epochArb],
    ([cadences, lead, now]) => {
      // a lead with attempts made has been called
      if (lead.attemptsInStatus > 0 && lead.lastContactAt === null) return
      const cadenceOf = (s: LeadStatusId) => cadences[s]
      const once = retimeWaitingLead({ ...lead, cadenceOf, now })
      if (once.nextAttemptAt === null) return
      expect(retimeWaitingLead({ ...lead, ...once, cadenceOf, now })).toEqual(once)
    },
    runs(),
  )

  it.prop(
    "a lead whose cadence is used up moves to the final status, with no attempts there, due no earlier than its last contact",
    [cadencesArb, leadArb, epochArb],
    ([cadences, lead, now]) => {
      const cadenceOf = (s: LeadStatusId) => cadences[s]
      const cadence = cadenceOf(lead.statusId)
      const retimed = retimeWaitingLead({ ...lead, cadenceOf, now })
      if (cadence === undefined) {
        expect(retimed).toEqual({
          statusId: lead.statusId,
          attemptsInStatus: lead.attemptsInStatus,
          nextAttemptAt: null,
        })
      } else if (lead.attemptsInStatus >= attemptsAllowed(cadence)) {
        expect(retimed.statusId).toBe(cadence.finalStatusId)
        expect(retimed.attemptsInStatus).toBe(0)
        if (cadenceOf(cadence.finalStatusId) === undefined) expect(retimed.nextAttemptAt).toBeNull()
        else expect(retimed.nextAttemptAt).toBeGreaterThanOrEqual(lead.lastContactAt ?? now)
      } else {
        expect(retimed.statusId).toBe(lead.statusId)
        expect(retimed.attemptsInStatus).toBe(lead.attemptsInStatus)
      }
    },
    runs(),
  )
})
