import { MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { SimulatedCarrierControl } from "@ringmaster/carrier"
import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import {
  type AgentId,
  type AgentState,
  CallId,
  defaultSettings,
  DispositionId,
  E164,
  LeadId,
  type TenantSettings,
} from "@ringmaster/domain"
import { AgentEntity, type AgentView, LeadEntity } from "@ringmaster/protocol"
import { AgentPush, clusterTimings, inboundCallId, RuntimeLive, TenantConfigs } from "@ringmaster/runtime"
import { insertLead, saveSettings, seedTenant, type SeededTenant } from "@ringmaster/store"
import { Context, Duration, Effect, Layer, type Scope } from "effect"
import { EntityActivity } from "./activity.js"
import { CarrierFaults, faultySimulatedCarrier } from "./faulty-carrier.js"
import { ManualClock } from "./manual-clock.js"

let mainLines = Math.floor(Math.random() * 5_000)
/** A main line no other world in this database has (a DID belongs to one tenant). */
const nextMainLine = () => E164.make(`+1628555${String(1_000 + (mainLines++ % 9_000))}`)

/**
 * The far end of an outbound call answers after 2 s and talks until hung up; an inbound caller waits up to two
 * minutes; a spoken message lasts 50 ms a character.
 */
const carrierConfig: Partial<SimulatedCarrierConfig> = {
  ringMs: { min: 2_000, max: 2_000 },
  greetingMs: { min: 0, max: 0 },
  talkMs: { min: 1e12, max: 1e12 },
  inboundPatienceMs: 120_000,
  speakMsPerChar: 50,
}

/** Entities stay in memory for `entityMaxIdleTime` without a message (the world's clock), for ever by default. */
const cluster = (entityMaxIdleTime: Duration.Duration) =>
  Sharding.layer.pipe(
    Layer.provideMerge(Runners.layerNoop),
    Layer.provideMerge(MessageStorage.layerMemory),
    Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
    // As in the runtime's world: every message goes through its schema, as it would to another runner.
    Layer.provide(ShardingConfig.layer({ ...clusterTimings, entityMaxIdleTime, simulateRemoteSerialization: true })),
  )
/** Carrier call ids start with `idPrefix`: inbound call ids derive from them, so each world needs its own. */
const runtimeLayer = (idPrefix: string, entityMaxIdleTime: Duration.Duration) =>
  RuntimeLive.pipe(
    Layer.provideMerge(AgentPush.layerLocal),
    Layer.provideMerge(faultySimulatedCarrier({ ...carrierConfig, idPrefix })),
    Layer.provideMerge(cluster(entityMaxIdleTime)),
  )
type RuntimeServices = Layer.Layer.Success<ReturnType<typeof runtimeLayer>>

/** One entry of a call's log (carrier events and our notes), oldest first. */
export interface CallLogEntry {
  readonly kind: string
  readonly at: number
  readonly payload: Record<string, unknown>
}

export interface TelephonyWorld {
  readonly tenant: SeededTenant
  /** The tenant's main line: inbound calls to it ring the tenant's campaign. */
  readonly mainLine: E164
  readonly clock: ManualClock
  readonly agentIds: ReadonlyArray<AgentId>
  readonly faults: CarrierFaults["Type"]
  readonly control: SimulatedCarrierControl["Type"]
  /** Runs an effect inside the world (its cluster, clock and database). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, RuntimeServices | SqlClient.SqlClient>) => Effect.Effect<A, E>
  readonly settle: Effect.Effect<void>
  /** Moves the clock on `ms`, a step at a time, delivering timers and carrier events on the way. */
  readonly advance: (ms: number) => Effect.Effect<void>
  readonly setState: (agentId: AgentId, state: AgentState) => Effect.Effect<AgentView, unknown>
  readonly view: (agentId: AgentId) => Effect.Effect<AgentView>
  /** Accepts the notification (outbound offer or inbound ring) pending for the agent. */
  readonly acceptPending: (agentId: AgentId) => Effect.Effect<AgentView, unknown>
  readonly hangup: (agentId: AgentId) => Effect.Effect<AgentView, unknown>
  /** Records an outcome in wrap-up, by the label of one of the demo dispositions ("No answer", ...). */
  readonly submitOutcome: (
    agentId: AgentId,
    label: string,
    options?: { readonly doNotCall?: boolean },
  ) => Effect.Effect<AgentView, unknown>
  /** Someone calls the main line from `from`: returns our call id for it. */
  readonly callIn: (from: string) => Effect.Effect<{ readonly callId: CallId; readonly carrierCallId: string }>
  /** Creates a lead the way `POST /leads` does, and admits it to the campaign's queue. */
  readonly createLead: (n: number, phone: string) => Effect.Effect<LeadId>
  readonly callLog: (callId: CallId) => Effect.Effect<ReadonlyArray<CallLogEntry>>
  /** The lead's history kinds, oldest first. */
  readonly leadHistory: (leadId: LeadId) => Effect.Effect<ReadonlyArray<string>>
  readonly leadOfCall: (callId: CallId) => Effect.Effect<LeadId | null>
}

const realYield = () => new Promise<void>((resolve) => setImmediate(resolve))
const realTimerYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
const settleLimitMs = 20_000

/**
 * The whole runtime in one in-memory cluster, as `world.ts` builds it, but on a simulated carrier whose commands a
 * test can break (`CarrierFaults`): one tenant with `agentCount` agents, no leads, and a main line.
 */
export const makeTelephonyWorld = (options: {
  readonly key: string
  readonly agentCount: number
  readonly settings?: Partial<TenantSettings>
  /** How long an entity stays in memory without a message; for ever by default. */
  readonly entityMaxIdleTime?: Duration.Duration
}): Effect.Effect<TelephonyWorld, never, Scope.Scope | SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const mainLine = nextMainLine()
    const clock = new ManualClock(Date.UTC(2025, 0, 6, 17, 0, 0))
    const activity = new EntityActivity()
    const sql = yield* SqlClient.SqlClient
    const tracer = activity.tracer(yield* Effect.tracer)
    const inWorld = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.withClock(clock), Effect.withTracer(tracer))

    const context = yield* inWorld(
      Layer.build(runtimeLayer(`tel-${options.key}`, options.entityMaxIdleTime ?? Duration.infinity)),
    ).pipe(Effect.orDie)
    const services = Context.add(context, SqlClient.SqlClient, sql)
    const run = <A, E>(effect: Effect.Effect<A, E, RuntimeServices | SqlClient.SqlClient>) =>
      inWorld(Effect.provide(effect, services)).pipe(
        Effect.timeoutTo({
          duration: Duration.millis(settleLimitMs),
          onSuccess: (a: A) => Effect.succeed(a),
          onTimeout: () => Effect.dieMessage(`no answer within ${settleLimitMs} ms (real time): the system is stuck`),
        }),
        Effect.flatten,
      )
    const sharding = Context.get(context, Sharding.Sharding)
    const driver = Context.get(context, MessageStorage.MemoryDriver)
    const dueWork = () =>
      Array.from(driver.unprocessed).some((envelope) => {
        if (envelope._tag !== "Request") return false
        const at = driver.requests.get(envelope.requestId)?.deliverAt ?? null
        return at === null || at <= clock.unsafeCurrentTimeMillis()
      })

    const settle = Effect.promise(async () => {
      const startedAt = performance.now()
      let quiet = 0
      let seen = activity.startedCount
      while (quiet < 4) {
        await (quiet === 3 ? realTimerYield() : realYield())
        const busy = activity.running > 0 || dueWork() || activity.startedCount !== seen
        seen = activity.startedCount
        quiet = busy ? 0 : quiet + 1
        if (busy && performance.now() - startedAt > settleLimitMs) {
          throw new Error(`the system did not settle within ${settleLimitMs} ms`)
        }
      }
    })

    const advance = (ms: number) =>
      Effect.gen(function* () {
        const end = clock.unsafeCurrentTimeMillis() + ms
        while (clock.unsafeCurrentTimeMillis() < end) {
          const next = Math.min(end, clock.unsafeCurrentTimeMillis() + 250, clock.nextWakeUp() ?? end)
          clock.advanceTo(Math.max(next, clock.unsafeCurrentTimeMillis()))
          yield* run(sharding.pollStorage)
          yield* settle
        }
      })

    // The runner takes its shards on the clock: move it until entities answer.
    for (let i = 0; i < 20; i++) {
      clock.advanceTo(clock.unsafeCurrentTimeMillis() + 1_000)
      yield* Effect.promise(realTimerYield)
    }

    const tenant = yield* run(
      seedTenant({
        key: options.key,
        name: `Telephony ${options.key}`,
        agentCount: options.agentCount,
        leadCount: 0,
        now: clock.unsafeCurrentTimeMillis(),
        inboundNumber: mainLine,
      }),
    ).pipe(Effect.orDie)
    yield* run(
      Effect.gen(function* () {
        yield* saveSettings(tenant.tenantId, {
          ...defaultSettings,
          callingHoursStart: 0,
          callingHoursEnd: 24,
          ...options.settings,
        })
        yield* (yield* TenantConfigs).invalidate(tenant.tenantId)
      }),
    ).pipe(Effect.orDie)

    const agents = yield* run(AgentEntity.client)
    const view = (agentId: AgentId) => run(agents(agentId).View()).pipe(Effect.orDie)
    const acceptPending = (agentId: AgentId) =>
      Effect.gen(function* () {
        const pending = (yield* view(agentId)).pendingOffer
        if (pending === null) return yield* Effect.dieMessage(`agent ${agentId} has no notification to accept`)
        const accepted = yield* run(agents(agentId).Accept({ offerId: pending.offerId }))
        yield* settle
        return accepted
      })

    const callIn = (from: string) =>
      Effect.gen(function* () {
        const control = Context.get(context, SimulatedCarrierControl)
        const { carrierCallId } = yield* inWorld(control.placeInbound({ from: E164.make(from), to: mainLine }))
        yield* settle
        return { callId: inboundCallId(carrierCallId), carrierCallId }
      })

    const createLead = (n: number, phone: string) =>
      run(
        Effect.gen(function* () {
          const id = LeadId.make(`${tenant.tenantId}-lead-${n}`)
          yield* sql.withTransaction(
            insertLead({
              id,
              tenantId: tenant.tenantId,
              campaignId: tenant.campaignId,
              leadTypeId: tenant.leadTypes.injury,
              statusId: tenant.statuses.new,
              name: `Lead ${n}`,
              phone: E164.make(phone),
              email: null,
              notes: "",
              now: clock.unsafeCurrentTimeMillis(),
            }),
          )
          yield* (yield* LeadEntity.client)(id).AdmitNow({ leadId: id })
          return id
        }),
      ).pipe(
        Effect.orDie,
        Effect.tap(() => settle),
      )

    const callLog = (callId: CallId) =>
      sql<{ kind: string; at: number; payload: unknown }>`
        SELECT kind, at, payload FROM call_events WHERE call_id = ${callId} ORDER BY at, id`.pipe(
        Effect.orDie,
        Effect.map((rows) =>
          rows.map((row) => ({
            kind: row.kind,
            at: Number(row.at),
            payload: (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as Record<
              string,
              unknown
            >,
          })),
        ),
      )

    const leadHistory = (leadId: LeadId) =>
      sql<{ kind: string }>`SELECT kind FROM lead_events WHERE lead_id = ${leadId} ORDER BY at, id`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows.map((row) => row.kind)),
      )

    const leadOfCall = (callId: CallId) =>
      sql<{ leadId: string | null }>`SELECT lead_id FROM calls WHERE id = ${callId}`.pipe(
        Effect.orDie,
        Effect.map((rows) => (rows[0]?.leadId == null ? null : LeadId.make(rows[0].leadId))),
      )

    yield* settle
    return {
      tenant,
      mainLine,
      clock,
      agentIds: tenant.agents.map((agent) => agent.agentId),
      faults: Context.get(context, CarrierFaults),
      control: Context.get(context, SimulatedCarrierControl),
      run,
      settle,
      advance,
      setState: (agentId, state) =>
        run(agents(agentId).SetState({ state, source: "agent" })).pipe(Effect.tap(() => settle)),
      view,
      acceptPending,
      hangup: (agentId) => run(agents(agentId).Hangup()).pipe(Effect.tap(() => settle)),
      submitOutcome: (agentId, label, outcome) =>
        run(
          agents(agentId).SubmitOutcome({
            dispositionId: DispositionId.make(`${options.key}-disposition-${label.toLowerCase().replaceAll(" ", "-")}`),
            doNotCall: outcome?.doNotCall,
          }),
        ).pipe(Effect.tap(() => settle)),
      callIn,
      createLead,
      callLog,
      leadHistory,
      leadOfCall,
    } satisfies TelephonyWorld
  })
