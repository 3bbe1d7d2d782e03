import { HttpApiBuilder } from "@effect/platform"
import { LeadId, parsePhone, validateStateRule } from "@ringmaster/domain"
import { CurrentUser, notFound, RingmasterApi, ValidationError } from "@ringmaster/protocol"
import { TenantConfigs } from "@ringmaster/runtime"
import {
  addBlacklistEntry,
  addDncEntry,
  findTenantLead,
  listDialBlocks,
  listDncEntries,
  listStateRules,
  upsertStateRule,
} from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { requireRole } from "./roles.js"

export const ComplianceHandlers = HttpApiBuilder.group(RingmasterApi, "compliance", (handlers) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const phoneOf = (tenantRegion: Parameters<typeof parsePhone>[1], raw: string) => {
      const parsed = parsePhone(raw, tenantRegion, "phone")
      return Either.mapLeft(parsed, (e) => new ValidationError({ field: e.field, value: e.value, message: e.message }))
    }
    return handlers
      .handle("addDnc", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const now = yield* Clock.currentTimeMillis
          let leadId: LeadId | null = null
          let phoneText = payload.phone
          if (payload.leadId !== undefined) {
            const lead = yield* findTenantLead(user.tenantId, payload.leadId).pipe(Effect.orDie)
            if (Option.isNone(lead)) return yield* notFound("lead", payload.leadId)
            leadId = lead.value.id
            phoneText ??= lead.value.phone
          }
          if (phoneText === undefined) {
            return yield* new ValidationError({
              field: "phone",
              value: "",
              message: "phone or leadId is required: which number (or lead) must not be called",
            })
          }
          const phone = yield* phoneOf(config.region, phoneText)
          return yield* addDncEntry({
            tenantId: user.tenantId,
            phone,
            leadId,
            source: "internal",
            reason: payload.reason ?? null,
            now,
          }).pipe(Effect.orDie)
        }),
      )
      .handle("listDnc", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          return yield* listDncEntries(user.tenantId, { limit: 500 }).pipe(Effect.orDie)
        }),
      )
      .handle("addBlacklist", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const phone = yield* phoneOf(config.region, payload.phone)
          const now = yield* Clock.currentTimeMillis
          yield* addBlacklistEntry({ tenantId: user.tenantId, phone, reason: payload.reason ?? null, now }).pipe(
            Effect.orDie,
          )
          return { phone }
        }),
      )
      .handle("stateRules", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          return yield* listStateRules(user.tenantId).pipe(Effect.orDie)
        }),
      )
      .handle("setStateRule", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor")
          const rule = validateStateRule({ state: path.state, ...payload })
          if (Either.isLeft(rule)) {
            const { field, value, message } = rule.left
            return yield* new ValidationError({ field, value, message })
          }
          yield* upsertStateRule(user.tenantId, rule.right).pipe(Effect.orDie)
          return rule.right
        }),
      )
      .handle("dialBlocks", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireRole("admin", "supervisor", "analyst")
          const limit = Math.max(1, Math.min(500, Math.floor(urlParams.limit ?? 50)))
          return yield* listDialBlocks(user.tenantId, limit).pipe(Effect.orDie)
        }),
      )
  }),
)
