/**
 * A supervisor's cadence edit re-times the status's waiting leads: each is due when the new cadence says, counted
 * from its last contact, whether that brings it forward (it is armed for the new time, or admitted when due now) or
 * moves it later (the timer it had fires at the old time and leaves it waiting for the new one). A lead whose
 * attempts the new cadence no longer allows goes to the final status. Each move is on the lead's history.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type Cadence, E164, LeadId, type LeadStatusId } from "@ringmaster/domain"
import { CampaignEntity, LeadEntity } from "@ringmaster/protocol"
import { changeCadence, refreshStatusLeads, TenantConfigs } from "@ringmaster/runtime"
import { deleteCadence, insertLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
const minute = 60_000
let worlds = 0
const nextKey = () => `cc${Date.now().toString(36)}t${++worlds}`

const cadence = (world: World, delaysMs: ReadonlyArray<number>): Cadence => ({
  delaysMs,
  priority: 2,
  finalStatusId: world.tenant.statuses.unreachable,
  maxAttempts: 5,
})

/** A lead of the status that was called `attempts` times there, last at `lastContactAt`, waiting for `nextAttemptAt` with its timer armed. */
const waitingLead = (
  world: World,
  input: {
    readonly name: string
    readonly attempts: number
    readonly lastContactAt: number
    readonly nextAttemptAt: number
  },
) =>
  Effect.gen(function* () {
    const id = LeadId.make(`${world.tenant.tenantId}-${input.name}`)
    yield* world.run(
      Effect.gen(function* () {
        yield* insertLead({
          id,
          tenantId: world.tenant.tenantId,
          campaignId: world.tenant.campaignId,
          leadTypeId: world.tenant.leadTypes.injury,
          statusId: world.tenant.statuses.callback,
          name: input.name,
          phone: E164.make(`+1415555${String(2600 + worlds * 10 + input.attempts).padStart(4, "0")}`),
          email: null,
          notes: "",
          now: input.lastContactAt,
          nextAttemptAt: input.nextAttemptAt,
        }).pipe(Effect.orDie)
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE leads SET attempts = ${input.attempts}, attempts_in_status = ${input.attempts},
          last_contact_at = ${input.lastContactAt} WHERE id = ${id}`.pipe(Effect.orDie)
        const leads = yield* LeadEntity.client
        yield* leads(id).AdmitNow({ leadId: id }).pipe(Effect.orDie)
      }),
    )
    return id
  })

const leadOf = (world: World, id: LeadId) =>
  world.run(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ stage: string; statusId: LeadStatusId; nextAttemptAt: number | null }>`SELECT stage, status_id,
        next_attempt_at FROM leads WHERE id = ${id}`.pipe(Effect.orDie),
    ).pipe(Effect.map((rows) => rows[0])),
  )

const historyOf = (world: World, id: LeadId) =>
  world.run(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ kind: string; detail: unknown }>`SELECT kind, detail FROM lead_events WHERE lead_id = ${id}
        ORDER BY id`.pipe(Effect.orDie),
    ),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a cadence edit", (it) => {
  it.scoped(
    "re-times each waiting lead of the status from its last contact, and each is admitted at its new time",
    () =>
      Effect.gen(function* () {
        // No agent: an admitted lead stays ready in its campaign's queue.
        const world = yield* makeWorld({
          key: nextKey(),
          agentCount: 0,
          start,
          settings: { callingHoursStart: 0, callingHoursEnd: 24 },
        })
        const { tenantId, statuses } = world.tenant
        yield* world.run(
          changeCadence({
            tenantId,
            statusId: statuses.callback,
            cadence: cadence(world, [10 * minute, 10 * minute, 10 * minute]),
          }),
        )
        const later = yield* waitingLead(world, {
          name: "later",
          attempts: 1,
          lastContactAt: start,
          nextAttemptAt: start + 10 * minute,
        })
        const sooner = yield* waitingLead(world, {
          name: "sooner",
          attempts: 2,
          lastContactAt: start,
          nextAttemptAt: start + 10 * minute,
        })
        const dueNow = yield* waitingLead(world, {
          name: "due-now",
          attempts: 2,
          lastContactAt: start - 5 * minute,
          nextAttemptAt: start + 5 * minute,
        })
        const usedUp = yield* waitingLead(world, {
          name: "used-up",
          attempts: 3,
          lastContactAt: start,
          nextAttemptAt: start + 10 * minute,
        })
        yield* world.settle
        for (const id of [later, sooner, dueNow, usedUp]) expect((yield* leadOf(world, id))?.stage).toBe("waiting")

        const retimed = yield* world.run(
          changeCadence({ tenantId, statusId: statuses.callback, cadence: cadence(world, [30 * minute, 2 * minute]) }),
        )
        yield* world.settle
        expect(retimed).toBe(4)
        expect(yield* leadOf(world, later)).toEqual({
          stage: "waiting",
          statusId: statuses.callback,
          nextAttemptAt: start + 30 * minute,
        })
        expect(yield* leadOf(world, sooner)).toEqual({
          stage: "waiting",
          statusId: statuses.callback,
          nextAttemptAt: start + 2 * minute,
        })
        expect((yield* leadOf(world, dueNow))?.stage).toBe("ready")
        // Three attempts made and two delays left: the final trigger moves it to "Unreachable", which has no cadence.
        expect(yield* leadOf(world, usedUp)).toEqual({
          stage: "terminal",
          statusId: statuses.unreachable,
          nextAttemptAt: null,
        })
        const history = yield* historyOf(world, usedUp)
        expect(history.at(-1)).toMatchObject({
          kind: "rescheduled",
          detail: { reason: "cadence changed", status: "Unreachable", nextAttemptAt: null },
        })

        yield* world.advanceTo(start + 2 * minute + 500)
        expect((yield* leadOf(world, sooner))?.stage).toBe("ready")
        expect((yield* leadOf(world, later))?.stage).toBe("waiting")
        // The timer armed for the old time fires, and the lead keeps waiting for its new one.
        yield* world.advanceTo(start + 10 * minute + 500)
        expect((yield* leadOf(world, later))?.stage).toBe("waiting")
        yield* world.advanceTo(start + 30 * minute + 500)
        expect((yield* leadOf(world, later))?.stage).toBe("ready")
      }),
  )

  it.scoped("writes nothing on a lead whose time the edit does not change", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 0, start, settings: {} })
      const { tenantId, statuses } = world.tenant
      yield* world.run(changeCadence({ tenantId, statusId: statuses.callback, cadence: cadence(world, [10 * minute]) }))
      const lead = yield* waitingLead(world, {
        name: "same",
        attempts: 1,
        lastContactAt: start,
        nextAttemptAt: start + 10 * minute,
      })
      // The same cadence again: nothing moves, and nothing is written on the lead's history.
      const before = (yield* historyOf(world, lead)).length
      const retimed = yield* world.run(
        changeCadence({ tenantId, statusId: statuses.callback, cadence: cadence(world, [10 * minute]) }),
      )
      expect(retimed).toBe(0)
      expect((yield* historyOf(world, lead)).length).toBe(before)
    }),
  )

  it.scoped("stops the waiting leads of a status whose cadence is removed, and they are never admitted", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 0, start, settings: {} })
      const { tenantId, statuses } = world.tenant
      yield* world.run(changeCadence({ tenantId, statusId: statuses.callback, cadence: cadence(world, [10 * minute]) }))
      const lead = yield* waitingLead(world, {
        name: "stopped",
        attempts: 1,
        lastContactAt: start,
        nextAttemptAt: start + 10 * minute,
      })
      const retimed = yield* world.run(
        Effect.gen(function* () {
          yield* deleteCadence(tenantId, statuses.callback).pipe(Effect.orDie)
          yield* (yield* TenantConfigs).invalidate(tenantId)
          return yield* refreshStatusLeads({ tenantId, statusId: statuses.callback })
        }),
      )
      expect(retimed).toBe(1)
      expect(yield* leadOf(world, lead)).toEqual({
        stage: "terminal",
        statusId: statuses.callback,
        nextAttemptAt: null,
      })
      expect((yield* historyOf(world, lead)).at(-1)).toMatchObject({
        kind: "rescheduled",
        detail: { reason: "cadence changed", status: "Call back", nextAttemptAt: null },
      })
      yield* world.advanceTo(start + 10 * minute + 500)
      expect((yield* leadOf(world, lead))?.stage).toBe("terminal")
    }),
  )

  it.scoped(
    "moves the queued leads of the status to its new priority, also one queued by a runner of an earlier version",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ key: nextKey(), agentCount: 0, start, settings: {} })
        const { tenantId, campaignId, statuses } = world.tenant
        yield* world.run(
          changeCadence({ tenantId, statusId: statuses.callback, cadence: cadence(world, [10 * minute]) }),
        )
        const queued = yield* waitingLead(world, {
          name: "queued",
          attempts: 1,
          lastContactAt: start - 20 * minute,
          nextAttemptAt: start - 10 * minute,
        })
        // A lead made ready, whose entry came from a runner that did not send statuses yet.
        const older = LeadId.make(`${tenantId}-older`)
        yield* world.run(
          Effect.gen(function* () {
            yield* insertLead({
              id: older,
              tenantId,
              campaignId,
              leadTypeId: world.tenant.leadTypes.injury,
              statusId: statuses.callback,
              name: "Older runner",
              phone: E164.make("+14155552699"),
              email: null,
              notes: "",
              now: start - 5 * minute,
            }).pipe(Effect.orDie)
            const sql = yield* SqlClient.SqlClient
            yield* sql`UPDATE leads SET stage = 'ready' WHERE id = ${older}`.pipe(Effect.orDie)
            const campaigns = yield* CampaignEntity.client
            yield* campaigns(campaignId)
              .Enqueue({
                entry: {
                  leadId: older,
                  leadTypeId: world.tenant.leadTypes.injury,
                  recycledSeq: null,
                  priorityZero: false,
                  lastContactAt: null,
                  nextAttemptAt: start - 5 * minute,
                  priority: 2,
                  assignedAgentId: null,
                  assignedUntil: null,
                },
              })
              .pipe(Effect.orDie)
          }),
        )
        yield* world.settle
        const priorities = Effect.map(world.read, (state) => new Map(state.queue.map((q) => [q.leadId, q.priority])))
        expect(yield* priorities).toEqual(
          new Map([
            [older, 2],
            [queued, 2],
          ]),
        )

        yield* world.run(
          changeCadence({
            tenantId,
            statusId: statuses.callback,
            cadence: { ...cadence(world, [10 * minute]), priority: 1 },
          }),
        )
        yield* world.settle
        expect(yield* priorities).toEqual(
          new Map([
            [older, 1],
            [queued, 1],
          ]),
        )
      }),
  )
})
