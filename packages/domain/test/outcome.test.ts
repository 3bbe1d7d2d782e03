import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { type Cadence, nextAttempt } from "../src/cadence.js"
import { DispositionId, LeadId, LeadStatusId } from "../src/ids.js"
import {
  applyOutcome,
  type Disposition,
  type LeadProgress,
  type OutcomeInput,
  type OutcomeResult,
  PriorityZeroNeedsStatusChange,
} from "../src/outcome.js"
import { epochArb, leadIdArb, statusIdArb, statusPool } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const hour = 3_600_000
const day = 24 * hour

const cadenceArb: fc.Arbitrary<Cadence> = fc.record({
  delaysMs: fc.array(fc.integer({ min: 0, max: 7 * day }), { maxLength: 4 }),
  priority: fc.integer({ min: 1, max: 5 }),
  finalStatusId: statusIdArb,
  maxAttempts: fc.integer({ min: 1, max: 6 }),
})

/** Some statuses of the pool have a cadence; the others are terminal. */
const cadencesArb = fc.dictionary(statusIdArb, cadenceArb, { maxKeys: statusPool.length })

const dispositionArb: fc.Arbitrary<Disposition> = fc.record({
  id: fc.constantFrom("no-answer", "callback", "sale").map((s) => DispositionId.make(s)),
  label: fc.constantFrom("No answer", "Call back", "Sale"),
  kind: fc.constantFrom("status" as const, "cadence" as const),
  statusId: fc.option(statusIdArb, { nil: null, freq: 5 }),
})

const leadArb: fc.Arbitrary<LeadProgress> = fc.record({
  leadId: leadIdArb(),
  statusId: statusIdArb,
  attemptsInStatus: fc.integer({ min: 0, max: 8 }),
  attempts: fc.integer({ min: 0, max: 50 }),
})

const inputArb: fc.Arbitrary<OutcomeInput> = fc
  .record({
    lead: leadArb,
    priorityZero: fc.boolean(),
    disposition: dispositionArb,
    cadences: cadencesArb,
    at: epochArb,
  })
  .map(({ cadences, ...rest }) => ({ ...rest, cadenceOf: (s: LeadStatusId) => cadences[s] }))

const resultOf = (input: OutcomeInput): OutcomeResult => Either.getOrThrow(applyOutcome(input))

describe("applyOutcome", () => {
  const callback = LeadStatusId.make("callback")
  const lost = LeadStatusId.make("lost")
  const won = LeadStatusId.make("won")
  const callbackCadence: Cadence = { delaysMs: [hour, day], priority: 2, finalStatusId: lost, maxAttempts: 5 }
  const cadenceOf = (s: LeadStatusId) => (s === callback ? callbackCadence : undefined)
  const noAnswer: Disposition = {
    id: DispositionId.make("no-answer"),
    label: "No answer",
    kind: "cadence",
    statusId: null,
  }
  const sale: Disposition = { id: DispositionId.make("sale"), label: "Sale", kind: "status", statusId: won }
  const t = 1_700_000_000_000

  it("follows the cadence on no answer, then fires the final trigger when it is exhausted", () => {
    let lead: LeadProgress = { leadId: LeadId.make("lead-1"), statusId: callback, attemptsInStatus: 0, attempts: 0 }
    const steps: Array<OutcomeResult> = []
    for (let i = 0; i < 3; i++) {
      const result = resultOf({ lead, priorityZero: false, disposition: noAnswer, cadenceOf, at: t + i })
      steps.push(result)
      lead = { ...lead, ...result }
    }
    expect(steps).toEqual([
      { statusId: callback, attempts: 1, attemptsInStatus: 1, nextAttemptAt: t + hour, finalTriggered: false },
      { statusId: callback, attempts: 2, attemptsInStatus: 2, nextAttemptAt: t + 1 + day, finalTriggered: false },
      { statusId: lost, attempts: 3, attemptsInStatus: 0, nextAttemptAt: null, finalTriggered: true },
    ])
  })

  it("a status disposition moves the lead and a terminal status ends the dialling", () => {
    const lead: LeadProgress = { leadId: LeadId.make("lead-1"), statusId: callback, attemptsInStatus: 1, attempts: 4 }
    expect(resultOf({ lead, priorityZero: false, disposition: sale, cadenceOf, at: t })).toEqual({
      statusId: won,
      attempts: 5,
      attemptsInStatus: 0,
      nextAttemptAt: null,
      finalTriggered: false,
    })
  })

  it("refuses to leave a priority-0 lead in its status, naming the lead and the status", () => {
    const lead: LeadProgress = { leadId: LeadId.make("lead-7"), statusId: callback, attemptsInStatus: 0, attempts: 0 }
    const result = applyOutcome({ lead, priorityZero: true, disposition: noAnswer, cadenceOf, at: t })
    const error = Either.getOrThrow(Either.flip(result))
    expect(error).toBeInstanceOf(PriorityZeroNeedsStatusChange)
    expect([error.leadId, error.statusId]).toEqual(["lead-7", "callback"])
    expect(error.message).toContain("lead-7")
    expect(error.message).toContain("callback")
    expect(Either.isRight(applyOutcome({ lead, priorityZero: true, disposition: sale, cadenceOf, at: t }))).toBe(true)
  })

  it.prop(
    "every outcome counts exactly one attempt",
    [inputArb],
    ([input]) => {
      const result = applyOutcome(input)
      if (Either.isRight(result)) expect(result.right.attempts).toBe(input.lead.attempts + 1)
    },
    runs(),
  )

  it.prop(
    "a status without a cadence never yields a next attempt",
    [inputArb],
    ([input]) => {
      const result = applyOutcome(input)
      if (Either.isRight(result) && input.cadenceOf(result.right.statusId) === undefined) {
        expect(result.right.nextAttemptAt).toBeNull()
      }
    },
    runs(),
  )

  it.prop(
    "a priority-0 lead never keeps its status; it is refused exactly when it would",
    [inputArb],
    ([input]) => {
      const result = applyOutcome({ ...input, priorityZero: true })
      const d = input.disposition
      const keepsStatus = d.kind === "cadence" || d.statusId === null || d.statusId === input.lead.statusId
      expect(Either.isLeft(result)).toBe(keepsStatus)
      if (Either.isRight(result)) expect(result.right.statusId).not.toBe(input.lead.statusId)
      if (Either.isLeft(result)) expect(result.left.leadId).toBe(input.lead.leadId)
    },
    runs(),
  )

  it.prop(
    "the next attempt is never before the outcome",
    [inputArb],
    ([input]) => {
      const result = applyOutcome(input)
      if (Either.isRight(result) && result.right.nextAttemptAt !== null) {
        expect(result.right.nextAttemptAt).toBeGreaterThanOrEqual(input.at)
      }
    },
    runs(),
  )

  it.prop(
    "moving to another status restarts its count and makes the lead due after that status's first delay",
    [inputArb, statusIdArb],
    ([input, target]) => {
      fc.pre(target !== input.lead.statusId)
      const disposition: Disposition = { ...input.disposition, kind: "status", statusId: target }
      const result = resultOf({ ...input, disposition })
      expect(result.statusId).toBe(target)
      expect(result.attemptsInStatus).toBe(0)
      expect(result.finalTriggered).toBe(false)
      const cadence = input.cadenceOf(target)
      expect(result.nextAttemptAt).toBe(cadence === undefined ? null : input.at + (cadence.delaysMs[0] ?? 0))
    },
    runs(),
  )

  it.prop(
    "staying in a status follows its cadence, and exhausting it moves the lead to the final status",
    [inputArb],
    ([input]) => {
      const disposition: Disposition = { ...input.disposition, kind: "cadence" }
      const result = resultOf({ ...input, priorityZero: false, disposition })
      const cadence = input.cadenceOf(input.lead.statusId)
      const made = input.lead.attemptsInStatus + 1
      const step = cadence === undefined ? undefined : nextAttempt(cadence, made, input.at)
      if (step === undefined) {
        expect(result).toMatchObject({ statusId: input.lead.statusId, attemptsInStatus: made, nextAttemptAt: null })
      } else if (step._tag === "Retry") {
        expect(result).toMatchObject({ statusId: input.lead.statusId, attemptsInStatus: made, nextAttemptAt: step.at })
        expect(result.finalTriggered).toBe(false)
      } else {
        const finalCadence = input.cadenceOf(step.finalStatusId)
        expect(result).toEqual({
          statusId: step.finalStatusId,
          attempts: input.lead.attempts + 1,
          attemptsInStatus: 0,
          nextAttemptAt: finalCadence === undefined ? null : input.at + (finalCadence.delaysMs[0] ?? 0),
          finalTriggered: true,
        })
      }
    },
    runs(),
  )

  it.prop(
    "a status disposition to the current status behaves like a cadence one",
    [inputArb],
    ([input]) => {
      const same: Disposition = { ...input.disposition, kind: "status", statusId: input.lead.statusId }
      const cadence: Disposition = { ...input.disposition, kind: "cadence", statusId: null }
      expect(applyOutcome({ ...input, disposition: same })).toEqual(applyOutcome({ ...input, disposition: cadence }))
    },
    runs(),
  )

  it.prop(
    "a lead worked until it stops always ends in a terminal status with no next attempt",
    [leadArb, cadencesArb, epochArb],
    ([lead, cadences, t0]) => {
      const cadenceOf = (s: LeadStatusId) => cadences[s]
      const noAnswerAgain: Disposition = { ...noAnswer }
      let current = { ...lead, attemptsInStatus: 0 }
      let next: number | null = t0
      // a chain of final triggers can cycle between statuses; bound the walk and only check what happens
      for (let i = 0; i < 200 && next !== null; i++) {
        const result = resultOf({ lead: current, priorityZero: false, disposition: noAnswerAgain, cadenceOf, at: next })
        expect(result.attempts).toBe(current.attempts + 1)
        if (result.nextAttemptAt !== null) expect(result.nextAttemptAt).toBeGreaterThanOrEqual(next)
        current = { ...current, ...result }
        next = result.nextAttemptAt
      }
      if (next === null) expect(cadenceOf(current.statusId)).toBeUndefined()
    },
    runs(),
  )
})
