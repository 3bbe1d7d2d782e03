import { HttpApiBuilder } from "@effect/platform"
import { CampaignId, type TenantId, type UserId } from "@ringmaster/domain"
import { Conflict, notFound, RingmasterApi, ValidationError } from "@ringmaster/protocol"
import {
  findTenantCampaign,
  findTenantUser,
  insertUser,
  listUsers,
  setPasswordHash,
  setUserDisabled,
  updateUser,
} from "@ringmaster/store"
import { TenantConfigs } from "@ringmaster/runtime"
import { Clock, Effect, Option } from "effect"
import { requireAdmin } from "./roles.js"
import { check, newUserLegEndpoint, policyHash, usernameOf, validEmail, validName } from "./user-input.js"

export const UsersHandlers = HttpApiBuilder.group(RingmasterApi, "users", (handlers) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const findUser = (tenantId: TenantId, userId: UserId) =>
      Effect.flatMap(
        findTenantUser(tenantId, userId).pipe(Effect.orDie),
        Option.match({ onNone: () => Effect.fail(notFound("user", userId)), onSome: Effect.succeed }),
      )
    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const username = yield* usernameOf(payload.username)
          const name = yield* check(validName("name", payload.name))
          const email = yield* check(validEmail(payload.email))
          let campaignId: CampaignId | null = null
          if (payload.campaignId !== undefined) {
            if (payload.role !== "agent") {
              return yield* new ValidationError({
                field: "campaignId",
                value: payload.campaignId,
                message: `campaignId: only a user with the role agent works a campaign (role is ${payload.role})`,
              })
            }
            const campaign = yield* findTenantCampaign(admin.tenantId, payload.campaignId).pipe(Effect.orDie)
            if (Option.isNone(campaign)) return yield* notFound("campaign", payload.campaignId)
            campaignId = CampaignId.make(campaign.value.id)
          }
          const config = yield* configs.get(admin.tenantId).pipe(Effect.orDie)
          const legEndpoint = yield* check(newUserLegEndpoint(payload, config.region))
          const passwordHash = yield* policyHash(payload.password)
          const now = yield* Clock.currentTimeMillis
          const created = yield* insertUser({
            tenantId: admin.tenantId,
            username,
            name,
            email,
            role: payload.role,
            passwordHash,
            campaignId,
            legEndpoint,
            now,
          }).pipe(
            Effect.catchTags({
              UserConflict: (c) =>
                Effect.fail(
                  new Conflict({
                    code: `${c.field}-taken`,
                    message: `${c.field}: "${c.value}" is already used by another user of this tenant`,
                  }),
                ),
              SqlError: Effect.die,
            }),
          )
          return created
        }),
      )
      .handle("list", () =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          return yield* listUsers(admin.tenantId).pipe(Effect.orDie)
        }),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          return yield* findUser(admin.tenantId, path.userId)
        }),
      )
      .handle("update", ({ path, payload }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const user = yield* findUser(admin.tenantId, path.userId)
          const name = payload.name === undefined ? user.name : yield* check(validName("name", payload.name))
          const role = payload.role ?? user.role
          if (role !== user.role && (role === "agent" || user.role === "agent")) {
            return yield* new ValidationError({
              field: "role",
              value: role,
              message: `role: a user cannot become or stop being an agent (${user.role} to ${role}); create another user`,
            })
          }
          if (user.id === admin.userId && role !== user.role) {
            return yield* new Conflict({ code: "own-role", message: "an admin cannot change their own role" })
          }
          yield* updateUser({ tenantId: admin.tenantId, userId: user.id, name, role }).pipe(Effect.orDie)
          return yield* findUser(admin.tenantId, user.id)
        }),
      )
      .handle("disable", ({ path }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const user = yield* findUser(admin.tenantId, path.userId)
          if (user.id === admin.userId) {
            return yield* new Conflict({ code: "own-account", message: "an admin cannot disable their own account" })
          }
          const now = yield* Clock.currentTimeMillis
          yield* setUserDisabled({ tenantId: admin.tenantId, userId: user.id, disabled: true, now }).pipe(Effect.orDie)
          return yield* findUser(admin.tenantId, user.id)
        }),
      )
      .handle("enable", ({ path }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const user = yield* findUser(admin.tenantId, path.userId)
          const now = yield* Clock.currentTimeMillis
          yield* setUserDisabled({ tenantId: admin.tenantId, userId: user.id, disabled: false, now }).pipe(Effect.orDie)
          return yield* findUser(admin.tenantId, user.id)
        }),
      )
      .handle("resetPassword", ({ path, payload }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const user = yield* findUser(admin.tenantId, path.userId)
          const passwordHash = yield* policyHash(payload.password)
          const now = yield* Clock.currentTimeMillis
          yield* setPasswordHash({ tenantId: admin.tenantId, userId: user.id, passwordHash, now }).pipe(Effect.orDie)
        }),
      )
  }),
)
