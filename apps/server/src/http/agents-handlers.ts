import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import { type AgentId, mayActAsAgent, mayReadAgent } from "@ringmaster/domain"
import { AgentEntity, CommandRefused, CurrentUser, Forbidden, notFound, RingmasterApi } from "@ringmaster/protocol"
import { findTenantAgent, listAgents } from "@ringmaster/store"
import { Effect, Option } from "effect"
import { requireConfigurer, requireReader } from "./roles.js"

export const AgentsHandlers = HttpApiBuilder.group(RingmasterApi, "agents", (handlers) =>
  Effect.gen(function* () {
    const agents = yield* Effect.provideService(AgentEntity.client, Sharding.Sharding, yield* Sharding.Sharding)
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
          return yield* Effect.forEach(rows, (r) => agents(r.id).View().pipe(Effect.orDie))
        }),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const { row } = yield* findVisible(path.agentId)
          return yield* agents(row.id).View().pipe(Effect.orDie)
        }),
      )
      .handle("setState", ({ path, payload }) =>
        Effect.gen(function* () {
          const { user, row } = yield* findVisible(path.agentId)
          if (user.role !== "agent") yield* requireConfigurer
          if (!mayActAsAgent(user, row.id))
            return yield* new Forbidden({ message: "an agent changes only its own state" })
          return yield* agents(row.id)
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
        }),
      )
  }),
)
