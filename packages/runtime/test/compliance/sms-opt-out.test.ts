import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { E164, type LeadId, type TenantId } from "@ringmaster/domain"
import { addDncEntry, listDncEntries, seedTenant } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { type InboundSms, recordSmsOptOut } from "../../src/compliance/sms-opt-out.js"

/** A tenant with a number of its own and a lead, whose phone is given. */
const seed = Effect.gen(function* () {
  const key = `s${crypto.randomUUID().slice(0, 8)}`
  const did = E164.make(`+1415${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`)
  const seeded = yield* seedTenant({ key, name: "Texts", agentCount: 1, leadCount: 1, now: 0, inboundNumber: did })
  const [leadId] = seeded.newLeadIds
  if (leadId === undefined) return yield* Effect.die("seed too small")
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ phone: string }>`SELECT phone FROM leads WHERE id = ${leadId}`
  const phone = E164.make(rows[0]?.phone ?? "")
  return { tenantId: seeded.tenantId, did, leadId, phone }
})

const sms = (fields: Partial<InboundSms> & Pick<InboundSms, "from" | "to">): InboundSms => ({
  messageId: crypto.randomUUID(),
  text: "STOP",
  ...fields,
})

const optedOutEvents = (tenantId: TenantId, leadId: LeadId) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ detail: unknown }>`SELECT detail FROM lead_events
      WHERE tenant_id = ${tenantId} AND lead_id = ${leadId} AND kind = 'opted-out'`,
  )

layer(TestDatabase.layer, { timeout: "120 seconds" })("recordSmsOptOut", (it) => {
  describe("an opt-out to one of our numbers", () => {
    it.effect("puts the sender on the tenant's list for its lead and notes it in the lead's history", () =>
      Effect.gen(function* () {
        const { tenantId, did, leadId, phone } = yield* seed
        const message = sms({ from: phone, to: [did], text: " Stop. " })
        const outcome = yield* recordSmsOptOut(message)
        expect(outcome).toMatchObject({ _tag: "OptedOut", tenantId, phone, leadId, alreadyListed: false })
        expect(yield* listDncEntries(tenantId, { phone, limit: 10 })).toEqual([
          expect.objectContaining({ leadId, source: "opt-out-sms", reason: `SMS "Stop." to ${did}` }),
        ])
        const events = yield* optedOutEvents(tenantId, leadId)
        expect(events.map((e) => e.detail)).toEqual([
          expect.objectContaining({ channel: "sms", text: " Stop. ", keyword: "STOP", messageId: message.messageId }),
        ])
      }),
    )

    it.effect("writes once, however many deliveries of the message arrive at the same time", () =>
      Effect.gen(function* () {
        const { tenantId, did, leadId, phone } = yield* seed
        const message = sms({ from: phone, to: [did] })
        const outcomes = yield* Effect.all(
          Array.from({ length: 8 }, () => recordSmsOptOut(message)),
          {
            concurrency: "unbounded",
          },
        )
        expect(outcomes.filter((o) => o._tag === "OptedOut" && !o.alreadyListed)).toHaveLength(1)
        expect(new Set(outcomes.map((o) => (o._tag === "OptedOut" ? o.dncEntryId : null))).size).toBe(1)
        expect(yield* listDncEntries(tenantId, { phone, limit: 10 })).toHaveLength(1)
        expect(yield* optedOutEvents(tenantId, leadId)).toHaveLength(1)
      }),
    )

    it.effect("adds no lead event when the same entry was already on the list", () =>
      Effect.gen(function* () {
        const { tenantId, did, leadId, phone } = yield* seed
        yield* addDncEntry({ tenantId, phone, leadId, source: "internal", reason: "asked", now: 1 })
        expect(yield* recordSmsOptOut(sms({ from: phone, to: [did] }))).toMatchObject({ alreadyListed: true })
        expect(yield* listDncEntries(tenantId, { phone, limit: 10 })).toEqual([
          expect.objectContaining({ source: "internal" }),
        ])
        expect(yield* optedOutEvents(tenantId, leadId)).toEqual([])
      }),
    )

    it.effect("lists a number no lead has without a lead, and finds our number among a group's", () =>
      Effect.gen(function* () {
        const { tenantId, did } = yield* seed
        const stranger = E164.make("+14155559876")
        const outcome = yield* recordSmsOptOut(sms({ from: stranger, to: ["+14155550001", "ours?", did] }))
        expect(outcome).toMatchObject({ _tag: "OptedOut", leadId: null })
        expect(yield* listDncEntries(tenantId, { phone: stranger, limit: 10 })).toEqual([
          expect.objectContaining({ leadId: null, source: "opt-out-sms" }),
        ])
      }),
    )
  })

  it.effect("changes nothing for another text, a sender that is not a number, or a number we do not have", () =>
    Effect.gen(function* () {
      const { tenantId, did, phone } = yield* seed
      const cases: ReadonlyArray<readonly [InboundSms, string]> = [
        [sms({ from: phone, to: [did], text: "please don't stop calling" }), "not an opt-out"],
        [sms({ from: phone, to: [did], text: "" }), "not an opt-out"],
        [sms({ from: "22395", to: [did] }), "sender is not a telephone number"],
        [sms({ from: phone, to: ["+14155550002"] }), "not one of our numbers"],
        [sms({ from: phone, to: [] }), "not one of our numbers"],
      ]
      for (const [message, reason] of cases) {
        expect(yield* recordSmsOptOut(message)).toEqual({ _tag: "Ignored", reason })
      }
      expect(yield* listDncEntries(tenantId, { limit: 10 })).toEqual([])
    }),
  )
})
