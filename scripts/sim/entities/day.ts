import { SqlClient } from "@effect/sql"
import { SimulatedCarrier } from "@ringmaster/carrier"
import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { type AgentId, CampaignId, DispositionId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import { setCampaignPaused } from "@ringmaster/store"
import { Duration, Effect, Either } from "effect"
import type { Scope } from "effect"
import { databaseTransactions } from "../../bench/lib/database-transactions.js"
// The runtime's own test world: the four entities in one in-memory cluster on a manual clock.
import { makeWorld } from "../../../packages/runtime/test/support/world.js"
import { Draws } from "../call-model.js"
import { AgentScript } from "./agent-script.js"
import { insertBacklog, newLead } from "./leads.js"
import type { EntitySimOptions, EntityStrategyName } from "./options.js"
import { type Conservation, type DayRecords, readConservation, readDayRecords } from "./records.js"
import { prepareTenant } from "./tenant-setup.js"

/** A Monday, 9:00 in San Francisco (where every simulated lead lives): well inside calling hours all day. */
const dayStart = Date.UTC(2025, 0, 6, 17, 0, 0)

/** After the shift no new dial is placed; calls and wrap-ups still under way may take this long to finish. */
const windDownLimitMs = 30 * 60_000

export interface EntityDayResult {
  readonly strategy: EntityStrategyName
  readonly agents: number
  readonly shiftMs: number
  readonly records: DayRecords
  readonly conservation: Conservation
  /** New leads created during the shift. */
  readonly newLeads: number
  /** Outcomes the entities refused from the scripted agents (none expected). */
  readonly refusedOutcomes: number
  /** Times the world's clock moved, and the real time the day took (setup and wind-down included). */
  readonly steps: number
  readonly wallMs: number
  /**
   * Transactions (statements, mostly) the database counted from the agents' login to the end of the wind-down, by
   * `pg_stat_database`; NaN where the database keeps no such count.
   */
  readonly databaseTransactions: number
}

/** The carrier of the day: the model's far ends, a machine an agent took lasting `--machine-handle`. */
const carrierConfig = (options: EntitySimOptions, key: string): SimulatedCarrierConfig => ({
  ...options.sim.carrier,
  voicemailMs: options.sim.machineHandleMs,
  idPrefix: key,
})

/**
 * One contact-center day on the real entities: a fresh tenant with `--agents` agents and a backlog of ready leads,
 * the campaign on the auto-dialer with the strategy's pacing, the simulated carrier on the world's clock, scripted
 * agents, and new leads arriving as `POST /leads` creates them. The clock moves by `--step` at most, and straight to
 * the next timer when nothing is under way. After the shift the campaign is paused and what is under way finishes;
 * the figures are read from the store.
 */
export const runEntityDay = (
  options: EntitySimOptions,
  strategy: EntityStrategyName,
  key: string,
): Effect.Effect<EntityDayResult, never, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    const started = performance.now()
    const sim = options.sim
    const carrier = carrierConfig(options, key)
    const world = yield* makeWorld({
      key,
      agentCount: sim.agents,
      start: dayStart,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      carrier: SimulatedCarrier.layer(carrier),
      // As on the server: an entity without a message for a minute leaves memory and comes back from its row.
      entityMaxIdleTime: Duration.minutes(1),
      // As on the server: a message to an entity of the same runner is handed over, not encoded and decoded again.
      serializeLocalMessages: false,
    })
    const { tenant } = world
    const campaignId = CampaignId.make(tenant.campaignId)
    const from = world.clock.unsafeCurrentTimeMillis()
    const to = from + sim.shiftMs

    yield* world
      .run(
        Effect.gen(function* () {
          yield* prepareTenant(tenant, sim, strategy, from)
          yield* insertBacklog(tenant, sim.backlog, from)
          yield* (yield* TenantConfigs).invalidate(tenant.tenantId)
        }),
      )
      .pipe(Effect.orDie)

    const draws = new Draws(sim)
    const script = new AgentScript(() => draws.nextWrapMs())
    const agents = yield* world.run(AgentEntity.client)
    const outcome = DispositionId.make(`${tenant.tenantId}-disposition-not-interested`)
    let refusedOutcomes = 0
    let steps = 0
    let newLeads = 0
    let nextArrival = from + draws.nextArrivalGapMs()

    const sql = yield* SqlClient.SqlClient
    const transactionsAtStart = yield* databaseTransactions.pipe(Effect.provideService(SqlClient.SqlClient, sql))
    // Every agent logs in at the start of the shift; the first one activates the campaign, which loads the backlog.
    for (const agentId of world.agentIds) {
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" })).pipe(Effect.orDie)
    }
    yield* world.settle

    const submit = (agentId: AgentId) =>
      world.run(agents(agentId).SubmitOutcome({ dispositionId: outcome })).pipe(
        Effect.either,
        Effect.map((result) => {
          if (Either.isLeft(result)) refusedOutcomes++
        }),
      )

    /** What is due at the current instant: outcomes of finished wrap-ups, new leads (in the shift only). */
    const actOnDue = Effect.gen(function* () {
      for (;;) {
        script.observe(yield* world.drainPushes)
        const now = world.clock.unsafeCurrentTimeMillis()
        const due = script.takeDue(now)
        let acted = due.length > 0
        for (const agentId of due) yield* submit(agentId)
        while (nextArrival <= now && nextArrival < to) {
          newLeads++
          yield* world.createLead({ ...newLead(tenant.tenantId, newLeads), leadTypeId: tenant.leadTypes.preClosed })
          nextArrival += draws.nextArrivalGapMs()
          acted = true
        }
        if (!acted) return
        yield* world.settle
      }
    })

    const campaign = (yield* world.run(CampaignEntity.client))(campaignId)
    /** Nothing under way: no lead ready, no call ringing or waiting, every agent free. */
    const idle = Effect.gen(function* () {
      if (script.working > 0) return false
      const stats = yield* world.run(campaign.Stats()).pipe(Effect.orDie)
      return stats.ready === 0 && stats.dialing === 0 && stats.waitingForAgent === 0
    })

    const stepUntil = (end: number, done: Effect.Effect<boolean>) =>
      Effect.gen(function* () {
        for (;;) {
          yield* actOnDue
          const now = world.clock.unsafeCurrentTimeMillis()
          if (now >= end || (yield* done)) return
          const events = [script.nextDueAt(), nextArrival < to ? nextArrival : undefined, end]
          const known = events.filter((t): t is number => t !== undefined)
          // With nothing under way, nothing changes before the next timer or event: the clock goes straight there.
          const target = (yield* idle)
            ? Math.min(...world.pendingTimers().filter((t) => t > now), ...known)
            : Math.min(now + options.stepMs, ...known)
          steps++
          yield* world.advanceTo(Math.max(now, target))
        }
      })

    yield* stepUntil(to, Effect.succeed(false))

    // The shift is over: no new dial; the calls and wrap-ups under way finish.
    yield* world
      .run(
        Effect.gen(function* () {
          yield* setCampaignPaused(tenant.tenantId, campaignId, true, to)
          yield* campaign.SettingsChanged()
        }),
      )
      .pipe(Effect.orDie)
    const windingDown = Effect.gen(function* () {
      if (script.working > 0) return false
      const [row] = yield* sql<{ n: number }>`SELECT count(*) AS n FROM calls
        WHERE campaign_id = ${campaignId} AND auto_dialed AND dial_result IS NULL`.pipe(Effect.orDie)
      return Number(row?.n ?? 0) === 0
    })
    yield* stepUntil(to + windDownLimitMs, windingDown)
    // PostgreSQL's backends report their counts within a second of real time.
    yield* Effect.promise(() => new Promise((done) => setTimeout(done, 1_500)))
    const transactions =
      (yield* databaseTransactions.pipe(Effect.provideService(SqlClient.SqlClient, sql))) - transactionsAtStart - 1

    const records = yield* world.run(readDayRecords({ campaignId, from, to, carrier, options: sim })).pipe(Effect.orDie)
    const conservation = yield* world.run(readConservation({ campaignId, carrier, options: sim })).pipe(Effect.orDie)
    return {
      strategy,
      agents: sim.agents,
      shiftMs: sim.shiftMs,
      records,
      conservation,
      newLeads,
      refusedOutcomes,
      steps,
      wallMs: performance.now() - started,
      databaseTransactions: transactions > 0 ? transactions : Number.NaN,
    }
  })
