import { SqlClient } from "@effect/sql"
import { AgentId, type CampaignId, newId, type Role, TenantId, UserId } from "@ringmaster/domain"
import type { LegEndpoint } from "@ringmaster/protocol"
import { Data, Effect, Option } from "effect"

/** A user as the control plane shows it: never the password hash. */
export interface UserRow {
  readonly id: UserId
  readonly tenantId: TenantId
  readonly username: string
  readonly name: string
  readonly email: string | null
  readonly role: Role
  readonly agentId: AgentId | null
  readonly disabled: boolean
  readonly createdAt: number
}

interface RawUser {
  id: string
  tenantId: string
  username: string
  name: string
  email: string | null
  role: Role
  agentId: string | null
  disabledAt: number | null
  createdAt: number
}

const toUser = (r: RawUser): UserRow => ({
  id: UserId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  username: r.username,
  name: r.name,
  email: r.email,
  role: r.role,
  agentId: r.agentId === null ? null : AgentId.make(r.agentId),
  disabled: r.disabledAt !== null,
  createdAt: Number(r.createdAt),
})

const columns = "id, tenant_id, username, name, email, role, agent_id, disabled_at, created_at"

/** What a login needs: the user, their hash (null when they have no password) and whether they are disabled. */
export const findLogin = (tenantId: string, username: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawUser & { passwordHash: string | null }>`
      SELECT ${sql.literal(columns)}, password_hash FROM users
      WHERE tenant_id = ${tenantId} AND lower(username) = ${username.trim().toLowerCase()}`
    return Option.map(Option.fromNullable(rows[0]), (r) => ({ user: toUser(r), passwordHash: r.passwordHash }))
  })

export const findTenantUser = (tenantId: TenantId, userId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawUser>`SELECT ${sql.literal(columns)} FROM users
      WHERE tenant_id = ${tenantId} AND id = ${userId}`
    return Option.map(Option.fromNullable(rows[0]), toUser)
  })

export const listUsers = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawUser>`SELECT ${sql.literal(columns)} FROM users
      WHERE tenant_id = ${tenantId} ORDER BY lower(username), id`
    return rows.map(toUser)
  })

/** The username (or email) is already used by another user of the tenant. */
export class UserConflict extends Data.TaggedError("UserConflict")<{
  readonly field: "username" | "email"
  readonly value: string
}> {}

/**
 * Inserts a user; a user with the role agent gets its agent (Offline, in `campaignId` when given, its leg dialled at
 * `legEndpoint` when given) in the same transaction. Fails with the field already taken in the tenant (usernames compare case-insensitively).
 */
export const insertUser = (input: {
  readonly tenantId: TenantId
  readonly username: string
  readonly name: string
  readonly email: string | null
  readonly role: Role
  readonly passwordHash: string
  readonly campaignId: CampaignId | null
  readonly legEndpoint?: LegEndpoint | null
  readonly now: number
  readonly id?: UserId
  readonly agentId?: AgentId
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        const taken = yield* sql<{ username: string; email: string | null }>`SELECT username, email FROM users
          WHERE tenant_id = ${input.tenantId}
            AND (lower(username) = ${input.username.toLowerCase()} OR email = ${input.email})`
        const clash = taken[0]
        if (clash !== undefined) {
          return yield* clash.username.toLowerCase() === input.username.toLowerCase()
            ? new UserConflict({ field: "username", value: input.username })
            : new UserConflict({ field: "email", value: input.email ?? "" })
        }
        const id = input.id ?? newId(UserId)
        let agentId: AgentId | null = null
        if (input.role === "agent") {
          agentId = input.agentId ?? newId(AgentId)
          yield* sql`INSERT INTO agents (id, tenant_id, name, campaign_id, state, state_since, leg_endpoint)
            VALUES (${agentId}, ${input.tenantId}, ${input.name}, ${input.campaignId}, 'Offline', ${input.now},
              ${input.legEndpoint ?? null})`
        }
        yield* sql`INSERT INTO users (id, tenant_id, username, name, email, role, agent_id, password_hash, created_at)
          VALUES (${id}, ${input.tenantId}, ${input.username}, ${input.name}, ${input.email}, ${input.role},
            ${agentId}, ${input.passwordHash}, ${input.now})`
        const row: UserRow = {
          id,
          tenantId: input.tenantId,
          username: input.username,
          name: input.name,
          email: input.email,
          role: input.role,
          agentId,
          disabled: false,
          createdAt: input.now,
        }
        return row
      }),
    )
  })

/** Changes name and role; an agent's name follows its user's. */
export const updateUser = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly name: string
  readonly role: Role
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(
      Effect.gen(function* () {
        const rows = yield* sql<{ agentId: string | null }>`UPDATE users SET name = ${input.name}, role = ${input.role}
          WHERE tenant_id = ${input.tenantId} AND id = ${input.userId} RETURNING agent_id`
        const agentId = rows[0]?.agentId ?? null
        if (agentId !== null) {
          yield* sql`UPDATE agents SET name = ${input.name} WHERE tenant_id = ${input.tenantId} AND id = ${agentId}`
        }
      }),
    )
  })

/** Disables (with the time) or enables a user; disabling also revokes every token they hold. */
export const setUserDisabled = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly disabled: boolean
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`UPDATE users SET disabled_at = ${input.disabled ? input.now : null}
          WHERE tenant_id = ${input.tenantId} AND id = ${input.userId}`
        if (input.disabled) {
          yield* sql`UPDATE api_tokens SET revoked_at = ${input.now}
            WHERE tenant_id = ${input.tenantId} AND user_id = ${input.userId} AND revoked_at IS NULL`
        }
      }),
    )
  })

/** Sets a new password hash and ends the user's sessions (their API tokens stay). */
export const setPasswordHash = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly passwordHash: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`UPDATE users SET password_hash = ${input.passwordHash}
          WHERE tenant_id = ${input.tenantId} AND id = ${input.userId}`
        yield* sql`UPDATE api_tokens SET revoked_at = ${input.now}
          WHERE tenant_id = ${input.tenantId} AND user_id = ${input.userId} AND kind = 'session'
            AND revoked_at IS NULL`
      }),
    )
  })
