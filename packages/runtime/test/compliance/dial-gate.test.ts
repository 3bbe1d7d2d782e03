import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { CallId, defaultSettings, type DialDecision, E164, type LeadId, type TenantId } from "@ringmaster/domain"
import {
  addBlacklistEntry,
  addDncEntry,
  listDialBlocks,
  saveSettings,
  seedTenant,
  setLeadTimeZone,
  upsertStateRule,
} from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, FastCheck as fc, Layer, TestClock } from "effect"
import { type DialCheck, DialGate } from "../../src/compliance/dial-gate.js"
import { ExternalDnc } from "../../src/compliance/external-dnc.js"
import { NumberLocator } from "../../src/compliance/number-locator.js"
import { TenantConfigs } from "../../src/tenant-configs.js"

const runs = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { fastCheck: { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback } }
}

const sanFrancisco = E164.make("+14155552671")
const miami = E164.make("+13055551234")
const tollFree = E164.make("+18005551234")
const freephone = E164.make("+80012345678")
const externallyListed = E164.make("+12125550100")
const registryDown = E164.make("+12125550199")

const hour = 3_600_000
/** 2026-07-15 (summer time) at a wall-clock time in a zone that is `utcOffset` hours from UTC. */
const july15 = (utcOffset: number, h: number, m: number) => Date.UTC(2026, 6, 15, h, m) - utcOffset * hour
const pacific = (h: number, m: number) => july15(-7, h, m)
const eastern = (h: number, m: number) => july15(-4, h, m)

const gate = DialGate.layer.pipe(
  Layer.provide(TenantConfigs.layer),
  Layer.provide(NumberLocator.layer),
  Layer.provide(ExternalDnc.layerFake(new Set([externallyListed]), new Set([registryDown]))),
)

const seed = Effect.gen(function* () {
  const seeded = yield* seedTenant({
    key: `g${crypto.randomUUID().slice(0, 8)}`,
    name: "Gate",
    agentCount: 1,
    leadCount: 2,
    now: 0,
  })
  const [first, second] = seeded.newLeadIds
  const [agent] = seeded.agents
  if (first === undefined || second === undefined || agent === undefined) return yield* Effect.die("seed too small")
  return { tenantId: seeded.tenantId, leads: [first, second] as const, agentId: agent.agentId }
})

const dialAt = (at: number, input: Partial<DialCheck> & Pick<DialCheck, "tenantId" | "phone">) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(at)
    const dialGate = yield* DialGate
    return yield* dialGate.check({ leadId: null, agentId: null, callId: null, ...input })
  }).pipe(Effect.provide(gate))

const reasonOf = (decision: DialDecision) => (decision._tag === "Blocked" ? decision.reason : "allowed")

const insertOutboundCall = (tenantId: TenantId, to: E164, createdAt: number, id: string = crypto.randomUUID()) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`INSERT INTO calls (id, tenant_id, direction, from_number, to_number, phase, facts, created_at)
      VALUES (${id}, ${tenantId}, 'outbound', '+14155550100', ${to}, 'ended', '{}'::jsonb, ${createdAt})`,
  )

layer(TestDatabase.layer, { timeout: "120 seconds" })("DialGate", (it) => {
  describe("calling hours", () => {
    it.effect("allows a San Francisco number from 08:00 to 20:59 Pacific, not at 07:59 or 21:00", () =>
      Effect.gen(function* () {
        const { tenantId } = yield* seed
        const at = (h: number, m: number) => dialAt(pacific(h, m), { tenantId, phone: sanFrancisco })
        expect(reasonOf(yield* at(7, 59))).toBe("outside-calling-hours")
        expect(reasonOf(yield* at(8, 0))).toBe("allowed")
        expect(reasonOf(yield* at(20, 59))).toBe("allowed")
        const late = yield* at(21, 0)
        expect(late).toEqual({
          _tag: "Blocked",
          reason: "outside-calling-hours",
          message:
            "+1 415 555 2671 is outside calling hours: it is 21:00 in America/Los_Angeles, and calls are allowed " +
            "from 08:00 to 21:00 local time",
        })
      }),
    )

    it.effect.prop(
      "allows a Pacific number exactly in the tenant's window, whatever the minute",
      [fc.integer({ min: 0, max: 24 * 60 - 1 })],
      ([minuteOfDay]) =>
        Effect.gen(function* () {
          const { tenantId } = yield* seed
          yield* saveSettings(tenantId, { ...defaultSettings, callingHoursStart: 9, callingHoursEnd: 18 })
          const decision = yield* dialAt(pacific(0, minuteOfDay), { tenantId, phone: sanFrancisco })
          const inside = minuteOfDay >= 9 * 60 && minuteOfDay < 18 * 60
          expect(reasonOf(decision)).toBe(inside ? "allowed" : "outside-calling-hours")
        }),
      runs(12),
    )

    it.effect.prop(
      "refuses a toll-free number unless every zone it may ring in is inside the window",
      [fc.integer({ min: 0, max: 24 * 60 - 1 })],
      ([minuteOfDay]) =>
        Effect.gen(function* () {
          const { tenantId } = yield* seed
          const zones = yield* Effect.flatMap(NumberLocator, (l) => l.zones(tollFree)).pipe(
            Effect.provide(NumberLocator.layer),
          )
          const at = Date.UTC(2026, 6, 15) + minuteOfDay * 60_000
          const everyZoneInside = zones.every((zone) => {
            const local = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", hourCycle: "h23" })
            const h = Number(local.format(at))
            return h >= 8 && h < 21
          })
          const decision = yield* dialAt(at, { tenantId, phone: tollFree })
          expect(zones.length).toBeGreaterThan(1)
          expect(reasonOf(decision)).toBe(everyZoneInside ? "allowed" : "outside-calling-hours")
        }),
      runs(8),
    )

    it.effect("takes the lead's own zone over the number's, and refuses a number no zone is known for", () =>
      Effect.gen(function* () {
        const { tenantId, leads } = yield* seed
        const early = pacific(7, 30) // 10:30 in New York
        yield* setLeadTimeZone(tenantId, leads[0], "America/New_York")
        const inNewYork = yield* dialAt(early, { tenantId, phone: sanFrancisco, leadId: leads[0] })
        expect(reasonOf(inNewYork)).toBe("allowed")
        expect(reasonOf(yield* dialAt(early, { tenantId, phone: sanFrancisco, leadId: leads[1] }))).toBe(
          "outside-calling-hours",
        )
        yield* setLeadTimeZone(tenantId, leads[1], "Pacific Time")
        const notAZone = yield* dialAt(early, { tenantId, phone: sanFrancisco, leadId: leads[1] })
        expect(reasonOf(notAZone)).toBe("outside-calling-hours")
        expect(reasonOf(yield* dialAt(early, { tenantId, phone: freephone }))).toBe("time-zone-unknown")
      }),
    )
  })

  describe("Florida's rule", () => {
    const rule = { state: "FL", startHour: 8, endHour: 20, maxCallsPer24h: 3 } as const

    it.effect("refuses at 20:30 local, and refuses the fourth call in 24 hours", () =>
      Effect.gen(function* () {
        const { tenantId } = yield* seed
        // Without a rule, 20:30 is inside the federal hours.
        expect(reasonOf(yield* dialAt(eastern(20, 30), { tenantId, phone: miami }))).toBe("allowed")
        yield* upsertStateRule(tenantId, rule)
        const late = yield* dialAt(eastern(20, 30), { tenantId, phone: miami })
        expect(late).toEqual({
          _tag: "Blocked",
          reason: "state-hours",
          message:
            "+1 305 555 1234 is not dialled: Florida allows calls from 08:00 to 20:00 local time, and it is 20:30 " +
            "in America/New_York",
        })

        const noon = eastern(12, 0)
        yield* insertOutboundCall(tenantId, miami, noon - 25 * hour) // older than 24 hours: not counted
        yield* insertOutboundCall(tenantId, miami, noon - 5 * hour)
        yield* insertOutboundCall(tenantId, miami, noon - 3 * hour)
        expect(reasonOf(yield* dialAt(noon, { tenantId, phone: miami }))).toBe("allowed")
        // The call being checked, when its row is already written, does not count against itself.
        const current = CallId.make(crypto.randomUUID())
        yield* insertOutboundCall(tenantId, miami, noon, current)
        expect(reasonOf(yield* dialAt(noon, { tenantId, phone: miami, callId: current }))).toBe("allowed")
        const fourth = yield* dialAt(noon, { tenantId, phone: miami })
        expect(fourth).toMatchObject({ _tag: "Blocked", reason: "state-frequency" })
        expect(fourth._tag === "Blocked" && fourth.message).toBe(
          "+1 305 555 1234 is not dialled: Florida allows at most 3 calls to a number in 24 hours, and 3 were placed",
        )
      }),
    )

    it.effect("applies only to the tenant that set it and to numbers of that state", () =>
      Effect.gen(function* () {
        const one = yield* seed
        const two = yield* seed
        yield* upsertStateRule(one.tenantId, rule)
        expect(reasonOf(yield* dialAt(eastern(20, 30), { tenantId: two.tenantId, phone: miami }))).toBe("allowed")
        expect(reasonOf(yield* dialAt(pacific(20, 30), { tenantId: one.tenantId, phone: sanFrancisco }))).toBe(
          "allowed",
        )
      }),
    )
  })

  describe("do-not-call and blacklist", () => {
    it.effect("refuses a number on the list, a lead on the list at any number, in their tenant only", () =>
      Effect.gen(function* () {
        const one = yield* seed
        const two = yield* seed
        const noon = pacific(12, 0)
        yield* addDncEntry({
          tenantId: one.tenantId,
          phone: sanFrancisco,
          leadId: null,
          source: "opt-out-sms",
          reason: "asked not to be called",
          now: Date.UTC(2026, 6, 1),
        })
        expect(yield* dialAt(noon, { tenantId: one.tenantId, phone: sanFrancisco })).toEqual({
          _tag: "Blocked",
          reason: "dnc-number",
          message: "+1 415 555 2671 is on the do-not-call list (added 2026-07-01: asked not to be called)",
        })
        expect(reasonOf(yield* dialAt(noon, { tenantId: two.tenantId, phone: sanFrancisco }))).toBe("allowed")

        const lead: LeadId = one.leads[1]
        yield* addDncEntry({
          tenantId: one.tenantId,
          phone: miami,
          leadId: lead,
          source: "opt-out-verbal",
          reason: null,
          now: Date.UTC(2026, 6, 2),
        })
        const otherNumber = E164.make("+14155552672")
        expect(reasonOf(yield* dialAt(noon, { tenantId: one.tenantId, phone: otherNumber, leadId: lead }))).toBe(
          "dnc-lead",
        )
        expect(reasonOf(yield* dialAt(noon, { tenantId: one.tenantId, phone: otherNumber }))).toBe("allowed")
      }),
    )

    it.effect(
      "refuses a number the external registry lists, or could not check (fail closed), and a blacklisted one",
      () =>
        Effect.gen(function* () {
          const { tenantId } = yield* seed
          const noon = eastern(12, 0)
          expect(yield* dialAt(noon, { tenantId, phone: externallyListed })).toMatchObject({ reason: "dnc-external" })
          const down = yield* dialAt(noon, { tenantId, phone: registryDown })
          expect(down).toMatchObject({ _tag: "Blocked", reason: "dnc-external-unavailable" })
          expect(down._tag === "Blocked" && down.message).toContain("could not be checked")
          yield* addBlacklistEntry({ tenantId, phone: miami, reason: "abusive caller", now: Date.UTC(2026, 5, 30) })
          expect(reasonOf(yield* dialAt(noon, { tenantId, phone: miami }))).toBe("blacklisted")
        }),
    )

    it.effect("checks do-not-call before the hours", () =>
      Effect.gen(function* () {
        const { tenantId } = yield* seed
        yield* addDncEntry({ tenantId, phone: sanFrancisco, leadId: null, source: "internal", reason: null, now: 0 })
        expect(reasonOf(yield* dialAt(pacific(23, 0), { tenantId, phone: sanFrancisco }))).toBe("dnc-number")
      }),
    )
  })

  it.effect("records each refused dial with who, what and when, and nothing for an allowed one", () =>
    Effect.gen(function* () {
      const { tenantId, leads, agentId } = yield* seed
      const late = pacific(22, 15)
      yield* dialAt(pacific(12, 0), { tenantId, phone: sanFrancisco, leadId: leads[0], agentId })
      expect(yield* listDialBlocks(tenantId, 10)).toEqual([])
      const decision = yield* dialAt(late, { tenantId, phone: sanFrancisco, leadId: leads[0], agentId })
      const blocks = yield* listDialBlocks(tenantId, 10)
      expect(blocks).toHaveLength(1)
      expect(blocks[0]).toMatchObject({
        tenantId,
        leadId: leads[0],
        agentId,
        callId: null,
        phone: sanFrancisco,
        reason: "outside-calling-hours",
        message: decision._tag === "Blocked" ? decision.message : "",
        at: late,
      })
    }),
  )
})
