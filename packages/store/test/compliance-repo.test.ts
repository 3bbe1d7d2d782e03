import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { AgentId, CallId, E164, type LeadId, type StateRule, type TenantId, usStateNames } from "@ringmaster/domain"
import { Effect, FastCheck as fc, Layer } from "effect"
import {
  addBlacklistEntry,
  addDncEntry,
  blacklistEntry,
  callsToNumberSince,
  deleteStateRule,
  dialFacts,
  isBlacklisted,
  isOnInternalDnc,
  listBlacklist,
  listDialBlocks,
  listDncEntries,
  listStateRules,
  recordDialBlock,
  removeBlacklistEntry,
  removeDncEntry,
  removeDncLead,
  removeDncNumber,
  setLeadTimeZone,
  stateRuleFor,
  upsertStateRule,
} from "../src/compliance-repo.js"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const numRuns = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { fastCheck: { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback } }
}

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))

const phoneA = E164.make("+13055551234")
const phoneB = E164.make("+14155552671")
const day = 86_400_000

/** Two tenants with two leads each; the second tenant must never see the first's entries. */
const seedTwo = Effect.gen(function* () {
  const one = yield* seedTenant({
    key: `c${crypto.randomUUID().slice(0, 8)}`,
    name: "One",
    agentCount: 1,
    leadCount: 2,
    now: 0,
  })
  const two = yield* seedTenant({
    key: `c${crypto.randomUUID().slice(0, 8)}`,
    name: "Two",
    agentCount: 1,
    leadCount: 2,
    now: 0,
  })
  const lead = (seeded: typeof one, i: number): LeadId => {
    const id = seeded.newLeadIds[i]
    if (id === undefined) throw new Error("seedTenant made too few leads")
    return id
  }
  return { one, two, lead }
})

const insertCall = (input: {
  readonly tenantId: TenantId
  readonly id: string
  readonly to: E164
  readonly direction: "outbound" | "inbound"
  readonly createdAt: number
}) =>
  Effect.flatMap(
    SqlClient,
    (sql) => sql`INSERT INTO calls (id, tenant_id, direction, from_number, to_number, phase, facts, created_at)
      VALUES (${input.id}, ${input.tenantId}, ${input.direction}, '+14155550100', ${input.to}, 'ended', '{}'::jsonb,
        ${input.createdAt})`,
  )

const states = Object.keys(usStateNames) as Array<keyof typeof usStateNames>
const ruleArb: fc.Arbitrary<StateRule> = fc
  .record({
    state: fc.constantFrom(...states),
    startHour: fc.integer({ min: 0, max: 23 }),
    span: fc.integer({ min: 1, max: 24 }),
    maxCallsPer24h: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  })
  .map(({ span, ...rest }) => ({ ...rest, endHour: Math.min(24, rest.startHour + span) }))

layer(database, { timeout: "120 seconds" })("compliance repository", (it) => {
  describe("do-not-call", () => {
    it.effect("finds a number whoever it was added for, and a lead at any number, in its tenant only", () =>
      Effect.gen(function* () {
        const { one, two, lead } = yield* seedTwo
        const leadOne = lead(one, 0)
        expect(yield* isOnInternalDnc(one.tenantId, phoneA, leadOne)).toEqual({ byNumber: null, byLead: null })

        const byNumber = yield* addDncEntry({
          tenantId: one.tenantId,
          phone: phoneA,
          leadId: null,
          source: "opt-out-sms",
          reason: "STOP",
          now: 1_000,
        })
        expect(byNumber).toMatchObject({
          phone: phoneA,
          leadId: null,
          source: "opt-out-sms",
          reason: "STOP",
          createdAt: 1_000,
        })
        const forLead = yield* addDncEntry({
          tenantId: one.tenantId,
          phone: phoneB,
          leadId: leadOne,
          source: "opt-out-verbal",
          reason: "asked not to be called",
          now: 2_000,
        })

        expect(yield* isOnInternalDnc(one.tenantId, phoneA, null)).toEqual({ byNumber, byLead: null })
        // The lead asked: its other numbers are blocked too, and its number for every other lead.
        expect(yield* isOnInternalDnc(one.tenantId, phoneA, leadOne)).toEqual({ byNumber, byLead: forLead })
        expect(yield* isOnInternalDnc(one.tenantId, phoneB, lead(one, 1))).toEqual({ byNumber: forLead, byLead: null })
        expect(yield* isOnInternalDnc(two.tenantId, phoneA, lead(two, 0))).toEqual({ byNumber: null, byLead: null })
        expect(yield* listDncEntries(two.tenantId, { limit: 10 })).toEqual([])
      }),
    )

    it.effect("adds an entry once, lists it by number or lead, and removes it", () =>
      Effect.gen(function* () {
        const { one, lead } = yield* seedTwo
        const leadOne = lead(one, 0)
        const entry = {
          tenantId: one.tenantId,
          phone: phoneA,
          leadId: leadOne,
          source: "internal" as const,
          reason: null,
        }
        const first = yield* addDncEntry({ ...entry, now: 1 })
        expect(yield* addDncEntry({ ...entry, now: 2 })).toEqual(first)
        const other = yield* addDncEntry({ ...entry, leadId: null, phone: phoneB, now: 3 })

        expect(yield* listDncEntries(one.tenantId, { limit: 10 })).toEqual([other, first])
        expect(yield* listDncEntries(one.tenantId, { phone: phoneB, limit: 10 })).toEqual([other])
        expect(yield* listDncEntries(one.tenantId, { leadId: leadOne, limit: 10 })).toEqual([first])
        expect(yield* listDncEntries(one.tenantId, { limit: 1 })).toEqual([other])

        expect(yield* removeDncLead(one.tenantId, leadOne)).toBe(1)
        expect(yield* removeDncNumber(one.tenantId, phoneB)).toBe(1)
        expect(yield* listDncEntries(one.tenantId, { limit: 10 })).toEqual([])

        const again = yield* addDncEntry({ ...entry, now: 4 })
        expect(yield* removeDncEntry(one.tenantId, again.id)).toBe(true)
        expect(yield* removeDncEntry(one.tenantId, again.id)).toBe(false)
      }),
    )
  })

  it.effect("keeps a blacklist per tenant, updating the reason but not the date", () =>
    Effect.gen(function* () {
      const { one, two } = yield* seedTwo
      expect(yield* isBlacklisted(one.tenantId, phoneA)).toBe(false)
      yield* addBlacklistEntry({ tenantId: one.tenantId, phone: phoneA, reason: "abusive", now: 5 })
      const updated = yield* addBlacklistEntry({ tenantId: one.tenantId, phone: phoneA, reason: "fraud", now: 9 })
      expect(updated).toEqual({ tenantId: one.tenantId, phone: phoneA, reason: "fraud", createdAt: 5 })
      expect(yield* blacklistEntry(one.tenantId, phoneA)).toEqual(updated)
      expect(yield* isBlacklisted(one.tenantId, phoneA)).toBe(true)
      expect(yield* isBlacklisted(two.tenantId, phoneA)).toBe(false)
      expect(yield* listBlacklist(one.tenantId, 10)).toEqual([updated])
      expect(yield* removeBlacklistEntry(two.tenantId, phoneA)).toBe(false)
      expect(yield* removeBlacklistEntry(one.tenantId, phoneA)).toBe(true)
      expect(yield* isBlacklisted(one.tenantId, phoneA)).toBe(false)
    }),
  )

  it.effect.prop(
    "stores a state rule as it was given, one per state and tenant",
    [fc.uniqueArray(ruleArb, { selector: (r) => r.state, minLength: 1, maxLength: 4 }), ruleArb],
    ([rules, replacement]) =>
      Effect.gen(function* () {
        const { one, two } = yield* seedTwo
        for (const rule of rules) yield* upsertStateRule(one.tenantId, rule)
        const sorted = [...rules].sort((a, b) => a.state.localeCompare(b.state))
        expect(yield* listStateRules(one.tenantId)).toEqual(sorted)
        expect(yield* listStateRules(two.tenantId)).toEqual([])

        const target = { ...replacement, state: rules[0]?.state ?? replacement.state }
        yield* upsertStateRule(one.tenantId, target)
        expect(yield* stateRuleFor(one.tenantId, target.state)).toEqual(target)
        expect(yield* stateRuleFor(two.tenantId, target.state)).toBeNull()
        expect(yield* deleteStateRule(one.tenantId, target.state)).toBe(true)
        expect(yield* stateRuleFor(one.tenantId, target.state)).toBeNull()
        expect(yield* listStateRules(one.tenantId)).toHaveLength(rules.length - 1)
      }),
    numRuns(15),
  )

  it.effect.prop(
    "counts the outbound calls to a number since a time, in its tenant, leaving out the call being checked",
    [
      fc.array(
        fc.record({
          to: fc.constantFrom(phoneA, phoneB),
          direction: fc.constantFrom("outbound" as const, "inbound" as const),
          createdAt: fc.integer({ min: 0, max: 3 * day }),
          otherTenant: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
      fc.integer({ min: 0, max: 3 * day }),
      fc.nat({ max: 12 }),
    ],
    ([calls, since, excluded]) =>
      Effect.gen(function* () {
        const { one, two } = yield* seedTwo
        const ids = calls.map(() => crypto.randomUUID())
        for (const [i, call] of calls.entries()) {
          const tenantId = call.otherTenant ? two.tenantId : one.tenantId
          yield* insertCall({
            tenantId,
            id: ids[i] ?? "",
            to: call.to,
            direction: call.direction,
            createdAt: call.createdAt,
          })
        }
        const excludedId = ids[excluded] ?? null
        const expected = calls.filter(
          (c, i) =>
            !c.otherTenant &&
            c.to === phoneA &&
            c.direction === "outbound" &&
            c.createdAt >= since &&
            ids[i] !== excludedId,
        ).length
        expect(
          yield* callsToNumberSince(one.tenantId, phoneA, since, excludedId === null ? null : CallId.make(excludedId)),
        ).toBe(expected)
      }),
    numRuns(15),
  )

  describe("dial facts", () => {
    const nothing = {
      dncByNumber: null,
      dncByLead: null,
      blacklist: null,
      stateRule: null,
      callsSince: null,
      leadTimeZone: null,
    }
    const ask = (input: Partial<Parameters<typeof dialFacts>[0]> & { readonly tenantId: TenantId }) =>
      dialFacts({ phone: phoneA, leadId: null, usState: null, since: 0, excludeCallId: null, ...input })

    it.effect("finds nothing when nothing is listed", () =>
      Effect.gen(function* () {
        const { one, lead } = yield* seedTwo
        expect(yield* ask({ tenantId: one.tenantId, leadId: lead(one, 0), usState: "FL" })).toEqual(nothing)
      }),
    )

    it.effect("finds the number's entries and the lead's, and another lead at the same number is not listed", () =>
      Effect.gen(function* () {
        const { one, lead } = yield* seedTwo
        const [leadOne, leadTwo] = [lead(one, 0), lead(one, 1)]
        const byNumber = yield* addDncEntry({
          tenantId: one.tenantId,
          phone: phoneA,
          leadId: null,
          source: "import",
          reason: null,
          now: 7,
        })
        const forLead = yield* addDncEntry({
          tenantId: one.tenantId,
          phone: phoneB,
          leadId: leadOne,
          source: "opt-out-verbal",
          reason: "asked",
          now: 8,
        })
        expect(yield* ask({ tenantId: one.tenantId, leadId: leadTwo })).toEqual({ ...nothing, dncByNumber: byNumber })
        // phoneB is listed (for leadOne), so any lead there is blocked by number; leadOne at phoneA by lead.
        expect(yield* ask({ tenantId: one.tenantId, phone: phoneB, leadId: leadTwo })).toEqual({
          ...nothing,
          dncByNumber: forLead,
        })
        expect(yield* ask({ tenantId: one.tenantId, leadId: leadOne })).toEqual({
          ...nothing,
          dncByNumber: byNumber,
          dncByLead: forLead,
        })
        yield* removeDncNumber(one.tenantId, phoneA)
        expect(yield* ask({ tenantId: one.tenantId, leadId: leadOne })).toEqual({ ...nothing, dncByLead: forLead })
        expect(yield* ask({ tenantId: one.tenantId, leadId: leadTwo })).toEqual(nothing)
      }),
    )

    it.effect("finds the blacklist entry", () =>
      Effect.gen(function* () {
        const { one } = yield* seedTwo
        const entry = yield* addBlacklistEntry({ tenantId: one.tenantId, phone: phoneA, reason: "fraud", now: 3 })
        expect(yield* ask({ tenantId: one.tenantId })).toEqual({ ...nothing, blacklist: entry })
        expect(yield* ask({ tenantId: one.tenantId, phone: phoneB })).toEqual(nothing)
      }),
    )

    it.effect("counts calls only under a rule with a limit, since the time and without the excluded call", () =>
      Effect.gen(function* () {
        const { one, two } = yield* seedTwo
        const since = 10 * day
        const calls = [
          { tenantId: one.tenantId, id: crypto.randomUUID(), to: phoneA, direction: "outbound", createdAt: since },
          { tenantId: one.tenantId, id: crypto.randomUUID(), to: phoneA, direction: "outbound", createdAt: since + 1 },
          { tenantId: one.tenantId, id: crypto.randomUUID(), to: phoneA, direction: "outbound", createdAt: since - 1 },
          { tenantId: one.tenantId, id: crypto.randomUUID(), to: phoneA, direction: "inbound", createdAt: since + 2 },
          { tenantId: one.tenantId, id: crypto.randomUUID(), to: phoneB, direction: "outbound", createdAt: since + 3 },
          { tenantId: two.tenantId, id: crypto.randomUUID(), to: phoneA, direction: "outbound", createdAt: since + 4 },
        ] as const
        for (const call of calls) yield* insertCall(call)
        const unlimited: StateRule = { state: "FL", startHour: 8, endHour: 21, maxCallsPer24h: null }
        const limited: StateRule = { state: "CA", startHour: 9, endHour: 20, maxCallsPer24h: 3 }
        yield* upsertStateRule(one.tenantId, unlimited)
        yield* upsertStateRule(one.tenantId, limited)

        expect(yield* ask({ tenantId: one.tenantId, usState: "FL", since })).toEqual({
          ...nothing,
          stateRule: unlimited,
        })
        expect(yield* ask({ tenantId: one.tenantId, usState: "TX", since })).toEqual(nothing)
        expect(yield* ask({ tenantId: one.tenantId, usState: "CA", since })).toEqual({
          ...nothing,
          stateRule: limited,
          callsSince: 2,
        })
        const excluded = CallId.make(calls[1].id)
        expect(yield* ask({ tenantId: one.tenantId, usState: "CA", since, excludeCallId: excluded })).toEqual({
          ...nothing,
          stateRule: limited,
          callsSince: 1,
        })
      }),
    )

    it.effect("never matches another tenant's entries", () =>
      Effect.gen(function* () {
        const { one, two, lead } = yield* seedTwo
        const leadOne = lead(one, 0)
        yield* addDncEntry({
          tenantId: one.tenantId,
          phone: phoneA,
          leadId: leadOne,
          source: "internal",
          reason: null,
          now: 1,
        })
        yield* addBlacklistEntry({ tenantId: one.tenantId, phone: phoneA, reason: null, now: 1 })
        yield* upsertStateRule(one.tenantId, { state: "FL", startHour: 8, endHour: 21, maxCallsPer24h: 2 })
        yield* insertCall({
          tenantId: one.tenantId,
          id: crypto.randomUUID(),
          to: phoneA,
          direction: "outbound",
          createdAt: 5,
        })
        expect(yield* ask({ tenantId: two.tenantId, leadId: lead(two, 0), usState: "FL" })).toEqual(nothing)
        // Even asked with the first tenant's lead id.
        expect(yield* ask({ tenantId: two.tenantId, leadId: leadOne, usState: "FL" })).toEqual(nothing)
        yield* upsertStateRule(two.tenantId, { state: "FL", startHour: 8, endHour: 21, maxCallsPer24h: 2 })
        expect(yield* ask({ tenantId: two.tenantId, usState: "FL" })).toMatchObject({ callsSince: 0 })
      }),
    )

    it.effect.prop(
      "answers what the separate lookups answer",
      [
        fc.array(
          fc.record({
            phone: fc.constantFrom(phoneA, phoneB),
            lead: fc.option(fc.constantFrom(0, 1), { nil: null }),
            otherTenant: fc.boolean(),
            createdAt: fc.integer({ min: 0, max: 5 }),
          }),
          { maxLength: 5 },
        ),
        fc.option(fc.constantFrom(phoneA, phoneB), { nil: null }),
        fc.option(ruleArb, { nil: null }),
        fc.array(fc.record({ to: fc.constantFrom(phoneA, phoneB), createdAt: fc.integer({ min: 0, max: 2 * day }) }), {
          maxLength: 5,
        }),
        fc.record({
          phone: fc.constantFrom(phoneA, phoneB),
          lead: fc.option(fc.constantFrom(0, 1), { nil: null }),
          since: fc.integer({ min: 0, max: 2 * day }),
          excluded: fc.nat({ max: 5 }),
        }),
      ],
      ([dnc, blacklisted, rule, calls, asked]) =>
        Effect.gen(function* () {
          const { one, two, lead } = yield* seedTwo
          for (const [i, entry] of dnc.entries()) {
            const seeded = entry.otherTenant ? two : one
            yield* addDncEntry({
              tenantId: seeded.tenantId,
              phone: entry.phone,
              leadId: entry.lead === null ? null : lead(seeded, entry.lead),
              source: "internal",
              reason: `entry ${i}`,
              now: entry.createdAt,
            })
          }
          if (blacklisted !== null) {
            yield* addBlacklistEntry({ tenantId: one.tenantId, phone: blacklisted, reason: null, now: 1 })
          }
          if (rule !== null) yield* upsertStateRule(one.tenantId, rule)
          const ids = calls.map(() => crypto.randomUUID())
          for (const [i, call] of calls.entries()) {
            yield* insertCall({ tenantId: one.tenantId, id: ids[i] ?? "", direction: "outbound", ...call })
          }
          const leadId = asked.lead === null ? null : lead(one, asked.lead)
          const excludeCallId = ids[asked.excluded] === undefined ? null : CallId.make(ids[asked.excluded] ?? "")
          const usState = rule?.state ?? "FL"
          const dncs = yield* isOnInternalDnc(one.tenantId, asked.phone, leadId)
          const stateRule = yield* stateRuleFor(one.tenantId, usState)
          expect(
            yield* dialFacts({
              tenantId: one.tenantId,
              phone: asked.phone,
              leadId,
              usState,
              since: asked.since,
              excludeCallId,
            }),
          ).toEqual({
            dncByNumber: dncs.byNumber,
            dncByLead: dncs.byLead,
            blacklist: yield* blacklistEntry(one.tenantId, asked.phone),
            stateRule,
            callsSince:
              stateRule === null || stateRule.maxCallsPer24h === null
                ? null
                : yield* callsToNumberSince(one.tenantId, asked.phone, asked.since, excludeCallId),
            leadTimeZone: null,
          })
        }),
      numRuns(15),
    )
  })

  it.effect("keeps a lead's own time zone, per tenant, and reads it with the dial facts", () =>
    Effect.gen(function* () {
      const { one, two, lead } = yield* seedTwo
      const leadTimeZone = (tenantId: TenantId, leadId: LeadId) =>
        Effect.map(
          dialFacts({ tenantId, phone: phoneA, leadId, usState: null, since: 0, excludeCallId: null }),
          (facts) => facts.leadTimeZone,
        )
      const leadOne = lead(one, 0)
      expect(yield* leadTimeZone(one.tenantId, leadOne)).toBeNull()
      expect(yield* setLeadTimeZone(two.tenantId, leadOne, "America/Chicago")).toBe(false)
      expect(yield* setLeadTimeZone(one.tenantId, leadOne, "America/Chicago")).toBe(true)
      expect(yield* leadTimeZone(one.tenantId, leadOne)).toBe("America/Chicago")
      expect(yield* leadTimeZone(two.tenantId, leadOne)).toBeNull()
      expect(yield* setLeadTimeZone(one.tenantId, leadOne, null)).toBe(true)
      expect(yield* leadTimeZone(one.tenantId, leadOne)).toBeNull()
    }),
  )

  it.effect("records refused dials and lists them newest first", () =>
    Effect.gen(function* () {
      const { one, two, lead } = yield* seedTwo
      const agentId = one.agents[0]?.agentId ?? AgentId.make("none")
      const base = {
        tenantId: one.tenantId,
        leadId: lead(one, 0),
        agentId,
        callId: CallId.make("call-not-written-yet"),
        phone: phoneA,
      }
      yield* recordDialBlock({ ...base, reason: "dnc-number", message: "on the list", at: 10 })
      yield* recordDialBlock({
        ...base,
        leadId: null,
        agentId: null,
        callId: null,
        reason: "state-hours",
        message: "late",
        at: 20,
      })
      const blocks = yield* listDialBlocks(one.tenantId, 10)
      expect(blocks.map((b) => [b.reason, b.message, b.at, b.leadId, b.agentId, b.callId])).toEqual([
        ["state-hours", "late", 20, null, null, null],
        ["dnc-number", "on the list", 10, base.leadId, agentId, base.callId],
      ])
      expect(yield* listDialBlocks(one.tenantId, 1)).toHaveLength(1)
      expect(yield* listDialBlocks(two.tenantId, 10)).toEqual([])
    }),
  )
})
