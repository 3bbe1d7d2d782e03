import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { type AgentId, mayActAsAgent, mayReadAgent } from "@ringmaster/domain"
import {
  AgentEntity,
  CommandRefused,
  CurrentUser,
  Forbidden,
  type LegEndpoint,
  notFound,
  RingmasterApi,
} from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import { findTenantAgent, listAgents, setAgentLegEndpoint } from "@ringmaster/store"
import { Effect, Either, Option } from "effect"
import { fromIssue } from "./input.js"
import { checkLegEndpoint } from "./leg-endpoint-input.js"
import { requireConfigurer, requireReader } from "./roles.js"

export const AgentsHandlers = HttpApiBuilder.group(RingmasterApi, "agents", (handlers) =>
  Effect.gen(function* () {
    const agents = yield* Effect.provideService(AgentEntity.client, Sharding.Sharding, yield* Sharding.Sharding)
    const configs = yield* TenantConfigs
    // The entity's view has no leg endpoint (its consoles do not need it); the stored one is added here.
    const detailOf = (agentId: AgentId, legEndpoint: LegEndpoint | null) =>
      Effect.map(agents(agentId).View().pipe(Effect.orDie), (view) => ({ ...view, legEndpoint }))
    const findVisible = (agentId: AgentId) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const row = yield* findTenantAgent(user.tenantId, agentId).pipe(Effect.orDie)
        if (Option.isNone(row)) return yield* notFound("agent", agentId)
        if (!mayReadAgent(user, agentId)) return yield* new Forbidden({ message: "an agent may see only itself" })
        return { user, row: row.value }
      })
    return handlers
      .handle("list", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const rows = yield* listAgents(user.tenantId).pipe(Effect.orDie)
          return yield* Effect.forEach(rows, (r) => detailOf(r.id, r.legEndpoint))
        }),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const { row } = yield* findVisible(path.agentId)
          return yield* detailOf(row.id, row.legEndpoint)
        }),
      )
      .handle("setState", ({ path, payload }) =>
        Effect.gen(function* () {
          const { user, row } = yield* findVisible(path.agentId)
          if (user.role !== "agent") yield* requireConfigurer
          if (!mayActAsAgent(user, row.id))
            return yield* new Forbidden({ message: "an agent changes only its own state" })
          const view = yield* agents(row.id)
            .SetState({ state: payload.state, source: user.role === "agent" ? "agent" : "supervisor" })
            .pipe(
              Effect.catchTags({
                IllegalAgentTransition: (e) =>
                  Effect.fail(new CommandRefused({ code: "illegal-transition", message: e.message })),
                MailboxFull: (e) => Effect.die(e),
                AlreadyProcessingMessage: (e) => Effect.die(e),
                PersistenceError: (e) => Effect.die(e),
              }),
            )
          return { ...view, legEndpoint: row.legEndpoint }
        }),
      )
      .handle("setLegEndpoint", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const row = yield* findTenantAgent(user.tenantId, path.agentId).pipe(Effect.orDie)
          if (Option.isNone(row)) return yield* notFound("agent", path.agentId)
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const endpoint = checkLegEndpoint(payload.legEndpoint, config.region)
          if (Either.isLeft(endpoint)) return yield* fromIssue(endpoint.left)
          yield* setAgentLegEndpoint(row.value.id, endpoint.right).pipe(Effect.orDie)
          // A logged-in agent with no call going through its leg drops it at once when the endpoint is cleared.
          yield* agents(row.value.id).SyncLeg(undefined, { discard: true }).pipe(Effect.orDie)
          return yield* detailOf(row.value.id, endpoint.right)
        }),
      )
  }),
)
