import { MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { type Carrier, SimulatedCarrier } from "@ringmaster/carrier"
import {
  type AgentId,
  CampaignId,
  E164,
  LeadId,
  type LeadTypeId,
  OfferId,
  type TenantSettings,
  defaultSettings,
} from "@ringmaster/domain"
import { AgentEntity, CampaignEntity, LeadEntity, type QueueItem, type ServerMessage } from "@ringmaster/protocol"
import { AgentPush, clusterTimings, RuntimeLive, TenantConfigs } from "@ringmaster/runtime"
import {
  type AgentRow,
  fromJson,
  insertLead,
  type LeadRow,
  listAgents,
  listLeads,
  saveSettings,
  seedTenant,
  type SeededTenant,
} from "@ringmaster/store"
import { Context, Duration, Effect, Layer, Queue, type Scope } from "effect"
import { EntityActivity } from "./activity.js"
import { CountingScheduler } from "./counting-scheduler.js"
import { memoryMessageStorage } from "./memory-message-storage.js"
import { ManualClock } from "./manual-clock.js"

/**
 * The whole runtime in one in-memory cluster: the four entities and the carrier event router, the simulated
 * carrier, the local push. Entities are not passivated for idleness unless `entityMaxIdleTime` says so (so a run's
 * entities keep their memory, as a busy process would), except the Lead entity, whose own idle time (5 s of the
 * world's clock) applies; persisted messages stay in memory.
 */
const clusterLayer = (entityMaxIdleTime: Duration.Duration, serializeLocalMessages: boolean) =>
  Sharding.layer.pipe(
    Layer.provideMerge(Runners.layerNoop),
    Layer.provideMerge(memoryMessageStorage),
    Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
    Layer.provide(
      ShardingConfig.layer({
        ...clusterTimings,
        entityMaxIdleTime,
        simulateRemoteSerialization: serializeLocalMessages,
      }),
    ),
  )

/**
 * The far end answers at once and talks for ever, so a call ends only when its agent hangs up: the model then
 * knows every call's fate without tracking the carrier's timers.
 */
export const carrierLayer = SimulatedCarrier.layer({
  ringMs: { min: 0, max: 0 },
  greetingMs: { min: 0, max: 0 },
  talkMs: { min: 1e13, max: 1e13 },
  idPrefix: "model",
})

const runtimeWith = (
  carrier: Layer.Layer<Carrier>,
  entityMaxIdleTime: Duration.Duration = Duration.infinity,
  serializeLocalMessages = true,
) =>
  RuntimeLive.pipe(
    Layer.provideMerge(AgentPush.layerLocal),
    Layer.provideMerge(carrier),
    Layer.provideMerge(clusterLayer(entityMaxIdleTime, serializeLocalMessages)),
  )

type RuntimeServices = Layer.Layer.Success<ReturnType<typeof runtimeWith>>

export interface OpenOfferRow {
  readonly id: OfferId
  readonly leadId: LeadId
  readonly agentIds: ReadonlyArray<AgentId>
  readonly expiresAt: number
}

/** What the harness reads of the real system after a step: the database rows and the distributor's view. */
export interface RealState {
  readonly now: number
  readonly leads: ReadonlyMap<LeadId, LeadRow>
  readonly agents: ReadonlyMap<AgentId, AgentRow>
  readonly openOffers: ReadonlyArray<OpenOfferRow>
  readonly queue: ReadonlyArray<QueueItem>
  readonly availableAgents: number
}

export interface WorldOptions {
  /** Unique per run: the tenant's ids derive from it. */
  readonly key: string
  readonly agentCount: number
  readonly start: number
  readonly settings: Partial<TenantSettings>
  /** The telephone network of the world; by default every call is answered at once and never ends by itself. */
  readonly carrier?: Layer.Layer<Carrier>
  /** Entities leave memory after this long without a message (the world's clock); never by default. */
  readonly entityMaxIdleTime?: Duration.Duration
  /**
   * Every message between entities goes through its schema, as it would to another runner (default), so a test
   * catches a message that could not cross runners. The server skips this for entities of its own runner.
   */
  readonly serializeLocalMessages?: boolean
}

/** How long (real time) the system may stay busy before `settle` gives up and reports it stuck. */
const settleLimitMs = 20_000

const realYield = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface World {
  readonly tenant: SeededTenant
  readonly clock: ManualClock
  readonly agentIds: ReadonlyArray<AgentId>
  /** Runs an effect inside the world (its cluster, clock and database). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, RuntimeServices | SqlClient.SqlClient>) => Effect.Effect<A, E>
  /** Waits until no entity handles a message and no persisted message is due. */
  readonly settle: Effect.Effect<void>
  /** Due instants of persisted messages not yet delivered (timers), after now. */
  readonly pendingTimers: () => ReadonlyArray<number>
  /** Moves the clock to `instant`, delivers what is due, and settles. */
  readonly advanceTo: (instant: number) => Effect.Effect<void>
  /** Moves the clock `ms` on in steps of `stepMs` (default 1 s), each as `advanceTo`: timers fire near their due time. */
  readonly runFor: (ms: number, stepMs?: number) => Effect.Effect<void>
  /** Every message pushed to each agent's consoles since the last call. */
  readonly drainPushes: Effect.Effect<ReadonlyMap<AgentId, ReadonlyArray<ServerMessage>>>
  readonly read: Effect.Effect<RealState>
  /** Creates a lead the way `POST /leads` does: the row in one transaction, then `Lead.AdmitNow`. */
  readonly createLead: (input: {
    readonly id: LeadId
    readonly leadTypeId: LeadTypeId
    readonly phone: string
  }) => Effect.Effect<void>
  readonly saveSettings: (settings: Partial<TenantSettings>) => Effect.Effect<void>
}

/**
 * Builds a world in the current scope: a fresh cluster on the given database, a tenant seeded with `agentCount`
 * agents and no leads, the tenant's settings, and a subscription to every agent's pushes.
 */
export const makeWorld = (options: WorldOptions): Effect.Effect<World, never, Scope.Scope | SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const clock = new ManualClock(options.start)
    const activity = new EntityActivity()
    const scheduler = new CountingScheduler()
    const sql = yield* SqlClient.SqlClient
    const tracer = activity.tracer(yield* Effect.tracer)
    const inWorld = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.withClock(clock), Effect.withTracer(tracer), Effect.withScheduler(scheduler))

    const context = yield* inWorld(
      Layer.build(
        runtimeWith(options.carrier ?? carrierLayer, options.entityMaxIdleTime, options.serializeLocalMessages),
      ),
    ).pipe(Effect.orDie)
    const services = Context.add(context, SqlClient.SqlClient, sql)
    // A message that never gets its answer would hang the test: after this long (real time) it fails instead.
    const run = <A, E>(effect: Effect.Effect<A, E, RuntimeServices | SqlClient.SqlClient>) =>
      inWorld(Effect.provide(effect, services)).pipe(
        Effect.timeoutTo({
          duration: Duration.millis(settleLimitMs),
          onSuccess: (a: A) => Effect.succeed(a),
          onTimeout: () => Effect.dieMessage(`no answer within ${settleLimitMs} ms (real time): the system is stuck`),
        }),
        Effect.flatten,
      )

    const driver = Context.get(context, MessageStorage.MemoryDriver)
    const sharding = Context.get(context, Sharding.Sharding)

    /** Persisted requests not answered yet; those due now are work the storage loop still has to hand out. */
    const unprocessedRequests = () => {
      const out: Array<number | null> = []
      for (const envelope of driver.unprocessed) {
        if (envelope._tag !== "Request") continue
        out.push(driver.requests.get(envelope.requestId)?.deliverAt ?? null)
      }
      return out
    }
    const dueWork = () => {
      const now = clock.unsafeCurrentTimeMillis()
      for (const envelope of driver.unprocessed) {
        if (envelope._tag !== "Request") continue
        const at = driver.requests.get(envelope.requestId)?.deliverAt ?? null
        if (at === null || at <= now) return true
      }
      return false
    }
    const pendingTimers = () =>
      unprocessedRequests()
        .filter((at): at is number => at !== null && at > clock.unsafeCurrentTimeMillis())
        .sort((a, b) => a - b)

    const settle = Effect.promise(async () => {
      const startedAt = performance.now()
      let quiet = 0
      let seen = activity.startedCount
      while (quiet < 4) {
        await realYield()
        // The walk over the persisted messages comes last, once everything else has stayed quiet.
        const busy =
          activity.running > 0 || scheduler.pending > 0 || activity.startedCount !== seen || (quiet === 3 && dueWork())
        seen = activity.startedCount
        quiet = busy ? 0 : quiet + 1
        if (busy && performance.now() - startedAt > settleLimitMs) {
          throw new Error(
            `the system did not settle within ${settleLimitMs} ms: ${activity.running} handlers running, ` +
              `due persisted messages: ${dueWork()}`,
          )
        }
      }
    })

    const advanceTo = (instant: number) =>
      Effect.gen(function* () {
        clock.advanceTo(instant)
        yield* run(sharding.pollStorage)
        yield* settle
      })

    const runFor = (ms: number, stepMs = 1_000) =>
      Effect.gen(function* () {
        const from = clock.unsafeCurrentTimeMillis()
        for (let t = stepMs; t <= ms; t += stepMs) yield* advanceTo(from + t)
      })

    // Warm up: the runner takes its shards on the clock; move it until an entity answers. Each move settles first,
    // so a background round started at the first instant ends before the clock moves on: its period keeps the same
    // phase from run to run instead of one that depends on how long its query took in real time.
    const warmUp = Effect.gen(function* () {
      for (let i = 0; i < 20; i++) {
        clock.advanceTo(clock.unsafeCurrentTimeMillis() + 1_000)
        yield* settle
      }
    })
    yield* warmUp
    const start = clock.unsafeCurrentTimeMillis()

    const tenant = yield* run(
      seedTenant({
        key: options.key,
        name: `Model ${options.key}`,
        agentCount: options.agentCount,
        leadCount: 0,
        now: start,
      }),
    ).pipe(Effect.orDie)

    const writeSettings = (settings: Partial<TenantSettings>) =>
      run(
        Effect.gen(function* () {
          yield* saveSettings(tenant.tenantId, { ...defaultSettings, ...settings })
          const configs = yield* TenantConfigs
          yield* configs.invalidate(tenant.tenantId)
        }),
      ).pipe(Effect.orDie)
    yield* writeSettings(options.settings)

    const agentIds = tenant.agents.map((a) => a.agentId)
    const push = Context.get(context, AgentPush)
    const inboxes = yield* Effect.forEach(agentIds, (id) => Effect.map(push.subscribe(id), (q) => [id, q] as const))
    const drainPushes = Effect.gen(function* () {
      const out = new Map<AgentId, ReadonlyArray<ServerMessage>>()
      for (const [id, inbox] of inboxes) out.set(id, Array.from(yield* Queue.takeAll(inbox)))
      return out
    })

    const campaignId = CampaignId.make(tenant.campaignId)
    const read = run(
      Effect.gen(function* () {
        const leads = yield* listLeads({ tenantId: tenant.tenantId, campaignId: null, limit: 500, after: null })
        const agents = yield* listAgents(tenant.tenantId)
        const offers = yield* sql<{ id: string; leadId: string; agentIds: unknown; expiresAt: number }>`
          SELECT id, lead_id, agent_ids, expires_at FROM offers WHERE tenant_id = ${tenant.tenantId} AND state = 'open'`
        const campaign = (yield* CampaignEntity.client)(campaignId)
        const queue = yield* campaign.Queue({ limit: 1_000 })
        const stats = yield* campaign.Stats()
        const state: RealState = {
          now: clock.unsafeCurrentTimeMillis(),
          leads: new Map(leads.map((l) => [l.id, l])),
          agents: new Map(agents.map((a) => [a.id, a])),
          openOffers: offers.map((o) => ({
            id: OfferId.make(o.id),
            leadId: LeadId.make(o.leadId),
            agentIds: fromJson<Array<AgentId>>(o.agentIds),
            expiresAt: Number(o.expiresAt),
          })),
          queue,
          availableAgents: stats.availableAgents,
        }
        return state
      }),
    ).pipe(Effect.orDie)

    const createLead = (input: { readonly id: LeadId; readonly leadTypeId: LeadTypeId; readonly phone: string }) =>
      run(
        Effect.gen(function* () {
          yield* sql.withTransaction(
            insertLead({
              id: input.id,
              tenantId: tenant.tenantId,
              campaignId,
              leadTypeId: input.leadTypeId,
              statusId: tenant.statuses.new,
              name: `Lead ${input.id}`,
              phone: E164.make(input.phone),
              email: null,
              notes: "",
              now: clock.unsafeCurrentTimeMillis(),
            }),
          )
          const leads = yield* LeadEntity.client
          yield* leads(input.id).AdmitNow({ leadId: input.id })
        }),
      ).pipe(Effect.orDie)

    // Activate every agent once, so that nothing of the first step is the cost of loading it.
    yield* run(
      Effect.gen(function* () {
        const agents = yield* AgentEntity.client
        yield* Effect.forEach(agentIds, (id) => agents(id).View(), { discard: true })
      }),
    ).pipe(Effect.orDie)
    yield* settle
    yield* drainPushes

    return {
      tenant,
      clock,
      agentIds,
      run,
      settle,
      pendingTimers,
      advanceTo,
      runFor,
      drainPushes,
      read,
      createLead,
      saveSettings: writeSettings,
    } satisfies World
  })
