import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { defaultLoginThrottle, loginLockedUntil } from "@ringmaster/domain"
import {
  CurrentUser,
  notFound,
  RingmasterApi,
  TooManyAttempts,
  Unauthorized,
  ValidationError,
} from "@ringmaster/protocol"
import {
  clearLoginFailures,
  createApiToken,
  findLogin,
  issueSession,
  listApiTokens,
  recentLoginFailures,
  recordLoginFailure,
  revokeToken,
  verifyPassword,
} from "@ringmaster/store"
import { Clock, Config, Duration, Effect, Redacted } from "effect"

const DAY = 24 * 3_600_000

/** How long a login lasts: `SESSION_TTL`, a duration such as "12 hours" (the default) or "30 minutes". */
export const SessionTtl = Config.duration("SESSION_TTL").pipe(
  Config.withDefault(Duration.hours(12)),
  Config.validate({
    message: 'SESSION_TTL must be a duration from 1 second to 30 days, e.g. "12 hours"',
    validation: (d) => Duration.toMillis(d) >= 1_000 && Duration.toMillis(d) <= 30 * DAY,
  }),
)

const loginRefused = new Unauthorized({ message: "unknown tenant, username or password" })

const required = (field: string, value: string) =>
  value.trim() === ""
    ? Effect.fail(new ValidationError({ field, value, message: `${field} is required` }))
    : Effect.succeed(value.trim())

export const AuthHandlers = HttpApiBuilder.group(RingmasterApi, "auth", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const ttlMs = Duration.toMillis(yield* SessionTtl)
    return handlers
      .handle("login", ({ payload }) =>
        Effect.gen(function* () {
          const tenant = yield* required("tenant", payload.tenant)
          const username = yield* required("username", payload.username)
          if (Redacted.value(payload.password).length > 1024) {
            const value = "(hidden)"
            return yield* new ValidationError({ field: "password", value, message: "password is too long" })
          }
          // A burst of failures for this login makes it wait, whatever the password: guessing is slowed to a crawl.
          const attemptAt = yield* Clock.currentTimeMillis
          const failures = yield* recentLoginFailures(tenant, username, attemptAt, defaultLoginThrottle.windowMs).pipe(
            Effect.orDie,
          )
          const lockedUntil = loginLockedUntil(failures, attemptAt)
          if (lockedUntil !== null) {
            const retryAfterSeconds = Math.ceil((lockedUntil - attemptAt) / 1_000)
            return yield* new TooManyAttempts({
              retryAfterSeconds,
              message: `too many failed logins for this user: try again in ${retryAfterSeconds} s`,
            })
          }
          const found = yield* findLogin(tenant, username).pipe(Effect.orDie)
          // The hash is checked even for an unknown or disabled user, so the answer time does not tell them apart.
          const matches = yield* verifyPassword(
            payload.password,
            found._tag === "Some" ? found.value.passwordHash : null,
          )
          if (found._tag === "None" || !matches || found.value.user.disabled) {
            // Not the username: people type their password into it by mistake.
            yield* Effect.logInfo("login refused").pipe(Effect.annotateLogs({ tenant }))
            yield* recordLoginFailure(tenant, username, attemptAt).pipe(Effect.orDie)
            return yield* loginRefused
          }
          yield* clearLoginFailures(tenant, username).pipe(Effect.orDie)
          const user = found.value.user
          const now = yield* Clock.currentTimeMillis
          const session = yield* sql
            .withTransaction(issueSession({ tenantId: user.tenantId, userId: user.id, now, ttlMs }))
            .pipe(Effect.orDie)
          return {
            token: session.token,
            expiresAt: session.expiresAt,
            user: { id: user.id, tenantId: user.tenantId, name: user.name, role: user.role, agentId: user.agentId },
          }
        }),
      )
      .handle("logout", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const now = yield* Clock.currentTimeMillis
          yield* revokeToken({ tenantId: user.tenantId, userId: user.userId, tokenId: user.credential.id, now }).pipe(
            Effect.orDie,
          )
        }),
      )
      .handle("me", () =>
        Effect.map(CurrentUser, (user) => ({
          user: {
            id: user.userId,
            tenantId: user.tenantId,
            name: user.name,
            role: user.role,
            agentId: user.agentId,
          },
          credential: user.credential,
        })),
      )
      .handle("listTokens", () =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          return yield* listApiTokens(user.tenantId, user.userId).pipe(Effect.orDie)
        }),
      )
      .handle("createToken", ({ payload }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const now = yield* Clock.currentTimeMillis
          const label = payload.label.trim()
          if (label === "" || label.length > 100) {
            return yield* new ValidationError({
              field: "label",
              value: payload.label,
              message: `label: "${payload.label}" must be 1 to 100 characters`,
            })
          }
          const expiresAt = payload.expiresAt ?? null
          if (
            expiresAt !== null &&
            (!Number.isSafeInteger(expiresAt) || expiresAt <= now || expiresAt > now + 730 * DAY)
          ) {
            return yield* new ValidationError({
              field: "expiresAt",
              value: String(expiresAt),
              message: `expiresAt: ${expiresAt} must be a time (epoch milliseconds) in the next two years`,
            })
          }
          const created = yield* sql
            .withTransaction(createApiToken({ tenantId: user.tenantId, userId: user.userId, label, expiresAt, now }))
            .pipe(Effect.orDie)
          return { ...created.row, token: created.token }
        }),
      )
      .handle("revokeToken", ({ path }) =>
        Effect.gen(function* () {
          const user = yield* CurrentUser
          const now = yield* Clock.currentTimeMillis
          const revoked = yield* revokeToken({
            tenantId: user.tenantId,
            userId: user.userId,
            tokenId: path.tokenId,
            now,
          }).pipe(Effect.orDie)
          if (!revoked) return yield* notFound("token", path.tokenId)
        }),
      )
  }),
)
