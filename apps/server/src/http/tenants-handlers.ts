import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { TenantId } from "@ringmaster/domain"
import { Conflict, Forbidden, RingmasterApi, ValidationError } from "@ringmaster/protocol"
import { findTenant, insertStarterConfiguration, insertTenant, insertUser } from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { requireAdmin } from "./roles.js"
import { policyHash, usernameOf, validName } from "./user-input.js"

const tenantIdPattern = /^[a-z0-9][a-z0-9-]{1,39}$/

/**
 * Admins see their own tenant. Creating a tenant is for admins of an operator tenant (the demo tenant is one;
 * `tenants.operator` marks others): the new tenant is empty but for its first admin, and its creator gets no
 * access to it, so isolation holds for operators too.
 */
export const TenantsHandlers = HttpApiBuilder.group(RingmasterApi, "tenants", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return handlers
      .handle("list", () =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const own = yield* findTenant(admin.tenantId).pipe(Effect.orDie)
          return Option.toArray(own)
        }),
      )
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const admin = yield* requireAdmin
          const own = yield* findTenant(admin.tenantId).pipe(Effect.orDie)
          if (Option.isNone(own) || !own.value.operator) {
            return yield* new Forbidden({ message: "only admins of an operator tenant may create tenants" })
          }
          const id = payload.id.trim()
          if (!tenantIdPattern.test(id)) {
            return yield* new ValidationError({
              field: "id",
              value: payload.id,
              message: `id: "${payload.id}" must be 2 to 40 lower-case letters, digits or "-", starting with a letter or digit`,
            })
          }
          const name = validName("name", payload.name)
          if (Either.isLeft(name)) return yield* new ValidationError(name.left)
          const region = (payload.defaultRegion ?? "US").trim().toUpperCase()
          if (!/^[A-Z]{2}$/.test(region)) {
            return yield* new ValidationError({
              field: "defaultRegion",
              value: payload.defaultRegion ?? "",
              message: `defaultRegion: "${payload.defaultRegion}" is not a two-letter country code`,
            })
          }
          const username = yield* usernameOf(payload.admin.username, "admin.username")
          const adminName = validName("admin.name", payload.admin.name)
          if (Either.isLeft(adminName)) return yield* new ValidationError(adminName.left)
          const passwordHash = yield* policyHash(payload.admin.password, "admin.password")
          const now = yield* Clock.currentTimeMillis
          const tenantId = TenantId.make(id)
          const tenantExists = new Conflict({ code: "tenant-exists", message: `id: the tenant "${id}" exists already` })
          return yield* sql
            .withTransaction(
              Effect.gen(function* () {
                const inserted = yield* insertTenant({
                  id: tenantId,
                  name: name.right,
                  defaultRegion: region,
                  operator: false,
                  now,
                })
                if (!inserted) return yield* tenantExists
                // A tenant starts with the statuses, cadences, lead types and outcomes of an intake team.
                yield* insertStarterConfiguration(tenantId, id)
                const first = yield* insertUser({
                  tenantId,
                  username,
                  name: adminName.right,
                  email: null,
                  role: "admin",
                  passwordHash,
                  campaignId: null,
                  now,
                })
                const tenant = yield* findTenant(tenantId)
                if (Option.isNone(tenant)) return yield* Effect.dieMessage(`tenant ${id} vanished after insert`)
                return { tenant: tenant.value, admin: first }
              }),
            )
            .pipe(Effect.catchTags({ SqlError: Effect.die, UserConflict: Effect.die }))
        }),
      )
  }),
)
