import { Sharding } from "@effect/cluster"
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { LeadId, parsePhone, validateStateRule } from "@ringmaster/domain"
import { notFound, RingmasterApi, ValidationError } from "@ringmaster/protocol"
import { dequeueDncStopped, TenantConfigs } from "@ringmaster/runtime"
import {
  addBlacklistEntry,
  blacklistEntry,
  findDncEntry,
  findTenantLead,
  listBlacklist,
  listDialBlocks,
  listDncEntries,
  listOnDnc,
  listStateRules,
  removeBlacklistEntry,
  removeDncEntry,
  upsertStateRule,
} from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { intParam } from "./input.js"
import { requireConfigurer, requireReader } from "./roles.js"

const blacklistView = (e: { readonly phone: string; readonly reason: string | null; readonly createdAt: number }) => ({
  phone: e.phone,
  reason: e.reason,
  createdAt: e.createdAt,
})

export const ComplianceHandlers = HttpApiBuilder.group(RingmasterApi, "compliance", (handlers) =>
  Effect.gen(function* () {
    const configs = yield* TenantConfigs
    const sql = yield* SqlClient.SqlClient
    const sharding = yield* Sharding.Sharding
    const phoneOf = (tenantRegion: Parameters<typeof parsePhone>[1], raw: string) => {
      const parsed = parsePhone(raw, tenantRegion, "phone")
      return Either.mapLeft(parsed, (e) => new ValidationError({ field: e.field, value: e.value, message: e.message }))
    }
    return handlers
      .handle("addDnc", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
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
          // The leads that may no longer be called leave the queue with the entry, so no agent is offered them.
          const { entry, stopped } = yield* sql
            .withTransaction(
              listOnDnc({
                tenantId: user.tenantId,
                phone,
                leadId,
                source: "internal",
                reason: payload.reason ?? null,
                now,
              }),
            )
            .pipe(Effect.orDie)
          yield* dequeueDncStopped(stopped).pipe(Effect.provideService(Sharding.Sharding, sharding))
          return entry
        }),
      )
      .handle("listDnc", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 1_000, fallback: 500 })
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const phone = urlParams.phone === undefined ? undefined : yield* phoneOf(config.region, urlParams.phone)
          return yield* listDncEntries(user.tenantId, {
            limit,
            ...(phone === undefined ? {} : { phone }),
            ...(urlParams.leadId === undefined ? {} : { leadId: LeadId.make(urlParams.leadId) }),
          }).pipe(Effect.orDie)
        }),
      )
      .handle("removeDnc", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const entry = yield* findDncEntry(user.tenantId, path.entryId).pipe(Effect.orDie)
          if (entry === null) return yield* notFound("dncEntry", String(path.entryId))
          const removed = yield* removeDncEntry(user.tenantId, path.entryId).pipe(Effect.orDie)
          if (!removed) return yield* notFound("dncEntry", String(path.entryId))
          return entry
        }),
      )
      .handle("addBlacklist", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const phone = yield* phoneOf(config.region, payload.phone)
          const now = yield* Clock.currentTimeMillis
          const entry = yield* addBlacklistEntry({
            tenantId: user.tenantId,
            phone,
            reason: payload.reason ?? null,
            now,
          }).pipe(Effect.orDie)
          return blacklistView(entry)
        }),
      )
      .handle("listBlacklist", ({ urlParams }) =>
        Effect.gen(function* () {
          const user = yield* requireReader
          const limit = yield* intParam("limit", urlParams.limit, { min: 1, max: 1_000, fallback: 500 })
          return (yield* listBlacklist(user.tenantId, limit).pipe(Effect.orDie)).map(blacklistView)
        }),
      )
      .handle("removeBlacklist", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
          const config = yield* configs.get(user.tenantId).pipe(Effect.orDie)
          const phone = yield* phoneOf(config.region, path.phone)
          const entry = yield* blacklistEntry(user.tenantId, phone).pipe(Effect.orDie)
          if (entry === null) return yield* notFound("blacklistEntry", phone)
          yield* removeBlacklistEntry(user.tenantId, phone).pipe(Effect.orDie)
          return blacklistView(entry)
        }),
      )
      .handle("stateRules", () =>
        Effect.gen(function* () {
          const user = yield* requireReader
          return yield* listStateRules(user.tenantId).pipe(Effect.orDie)
        }),
      )
      .handle("setStateRule", ({ path, payload }) =>
        Effect.gen(function* () {
          const user = yield* requireConfigurer
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
          const user = yield* requireReader
          const limit = Math.max(1, Math.min(500, Math.floor(urlParams.limit ?? 50)))
          return yield* listDialBlocks(user.tenantId, limit).pipe(Effect.orDie)
        }),
      )
  }),
)
