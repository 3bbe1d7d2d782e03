import { HttpApiBuilder } from "@effect/platform"
import { Sharding } from "@effect/cluster"
import type { AgentId } from "@ringmaster/domain"
import {
  AgentEntity,
  type AuthenticatedUser,
  CommandRefused,
  CurrentUser,
  Forbidden,
  notFound,
  RingmasterApi,
} from "@ringmaster/protocol"
import { findTenantAgent, listAgents } from "@ringmaster/store"
import { Effect, Option } from "effect"

/** Supervisors and admins may act on any agent of their tenant; an agent only on itself. */
const mayActOn = (user: AuthenticatedUser, agentId: AgentId) =>
  user.role === "admin" || user.role === "supervisor" || (user.role === "agent" && user.agentId === agentId)

export const AgentsHandlers = HttpApiBuilder.group(RingmasterApi, "agents", (handlers) =>
  Effect.gen(function* () {
    const agents = yield* Effect.provideService(AgentEntity.client, Sharding.Sharding, yield* Sharding.Sharding)
    const findVisible = (agentId: AgentId) =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const row = yield* findTenantAgent(user.tenantId, agentId).pipe(Effect.orDie)
        if (Option.isNone(row)) return yield* notFound("agent", agentId)
        if (!mayActOn(user, agentId) && user.role !== "analyst") {
          return yield* new Forbidden({ message: "an agent may see only itself" })
        }
        return { user, row: row.value }
      })
    return handlers
      .handle("list", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          if (user.role === "agent") return yield* new Forbidden({ message: "agents cannot list other agents" })
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
          if (!mayActOn(user, row.id)) return yield* new Forbidden({ message: "analysts read only" })
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
