import { SqlClient } from "@effect/sql"
import { type AgentId, defaultSettings, type TenantSettings } from "@ringmaster/domain"
import { listAgents, loadTenantConfig } from "@ringmaster/store"
import { Effect, FastCheck as fc } from "effect"
import { type CommandData, commandArbitraries, commandFromData, type Run } from "./commands.js"
import { Harness } from "./harness.js"
import type { ModelAgent, ModelState } from "./model.js"
import { makeWorld, type World } from "./world.js"

/** The tenant settings of a run: short timers, so that a run of a few dozen steps sees them fire. */
export const settingsArbitrary: fc.Arbitrary<TenantSettings> = fc
  .record({
    notificationTimeoutMs: fc.integer({ min: 1_000, max: 5_000 }),
    wrapUpLimitMs: fc.integer({ min: 1_000, max: 120_000 }),
    assignmentWaitMs: fc.oneof(fc.constant(0), fc.integer({ min: 1_000, max: 600_000 })),
    assignmentDurationMs: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 60_000, max: 2 * 86_400_000 }),
      fc.constant(defaultSettings.assignmentDurationMs),
    ),
  })
  // Calling hours all day: the compliance gate has its own tests, and a run may jump the clock by days.
  .map((s) => ({ ...defaultSettings, ...s, notificationRecipients: 1, callingHoursStart: 0, callingHoursEnd: 24 }))

type CadenceSetup = Extract<CommandData, { readonly kind: "ChangeCadence" }>

/**
 * The cadences a run starts with: delays of seconds to minutes instead of the demo's hours and days, so that
 * next attempts come due within a run.
 */
const startCadence = (status: "new" | "callback"): fc.Arbitrary<CadenceSetup> =>
  fc.record({
    kind: fc.constant("ChangeCadence" as const),
    status: fc.constant(status),
    delaysMs: fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 4, arbitrary: fc.integer({ min: 1_000, max: 20_000 }) },
        { weight: 2, arbitrary: fc.integer({ min: 20_000, max: 180_000 }) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    priority: fc.integer({ min: 1, max: 3 }),
    finalStatus: fc.constantFrom("unreachable" as const, "notInterested" as const, "callback" as const),
    maxAttempts: fc.integer({ min: 1, max: 5 }),
    thinkMs: fc.constant(0),
  })

export interface RunCase {
  readonly settings: TenantSettings
  readonly agentCount: number
  /** Applied before the commands, the way a supervisor would. */
  readonly cadences?: ReadonlyArray<CadenceSetup>
  readonly commands: Iterable<fc.AsyncCommand<Run, Run>>
}

/**
 * Bump when the arbitraries change: kept failing cases replay their seed and path only with the arbitraries
 * they were found with (their recorded commands replay always).
 */
export const arbitraryVersion = 6

/** A run: settings, agents, starting cadences, and up to 80 commands. `replayPath` replays the commands of a kept failing case. */
export const runCaseArbitrary = (replayPath?: string): fc.Arbitrary<RunCase> =>
  fc.record({
    settings: settingsArbitrary,
    agentCount: fc.integer({ min: 3, max: 4 }),
    cadences: fc.tuple(startCadence("new"), startCadence("callback")),
    commands: fc.commands(commandArbitraries, {
      maxCommands: 80,
      size: "max",
      ...(replayPath === undefined ? {} : { replayPath }),
    }),
  })

/** The model of a freshly seeded tenant: every agent Offline, no lead, the tenant's configuration. */
const initialModel = (world: World, settings: TenantSettings) =>
  world
    .run(
      Effect.gen(function* () {
        const config = yield* loadTenantConfig(world.tenant.tenantId)
        const agents = yield* listAgents(world.tenant.tenantId)
        const byId = new Map(agents.map((a) => [a.id, a]))
        const modelAgents = new Map<AgentId, ModelAgent>()
        for (const id of world.agentIds) {
          const row = byId.get(id)
          if (row === undefined) return yield* Effect.dieMessage(`agent ${id} was not seeded`)
          modelAgents.set(id, {
            id,
            state: row.state,
            stateSince: row.stateSince,
            pending: null,
            workingLeadId: null,
            call: null,
            wrapUpDeadline: null,
          })
        }
        const state: ModelState = {
          now: world.clock.unsafeCurrentTimeMillis(),
          config: {
            settings,
            cadences: new Map(config.cadences),
            priorityZero: new Map(Array.from(config.leadTypes.values(), (t) => [t.id, t.priorityZero])),
            initialStatus: new Map(Array.from(config.leadTypes.values(), (t) => [t.id, t.initialStatusId])),
            dispositions: Array.from(config.dispositions.values()),
          },
          leads: new Map(),
          agents: modelAgents,
          available: new Map(),
          loggedIn: new Set(),
          recycledCounter: 0,
          outbox: [],
        }
        return state
      }),
    )
    .pipe(Effect.orDie)

let runCounter = 0
const runPrefix = `m${Date.now().toString(36)}`

/** One generated case against a fresh cluster and a fresh tenant on the shared database. */
export const runDistributorCase = (c: RunCase): Effect.Effect<void, never, SqlClient.SqlClient> =>
  Effect.scoped(
    Effect.gen(function* () {
      const key = `${runPrefix}r${++runCounter}`
      const world = yield* makeWorld({
        key,
        agentCount: c.agentCount,
        start: Date.UTC(2025, 0, 6, 17, 0, 0),
        settings: c.settings,
      })
      const harness = new Harness(world, yield* initialModel(world, c.settings))
      const run: Run = { harness, leadsCreated: 0 }
      for (const cadence of c.cadences ?? []) {
        const setup = commandFromData(cadence)
        yield* Effect.promise(() => Promise.resolve(setup.run(run, run)))
      }
      yield* Effect.promise(() => fc.asyncModelRun(() => ({ model: run, real: run }), c.commands))
    }),
  )
