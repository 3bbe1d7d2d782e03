import { SqlClient } from "@effect/sql"
import { AgentId, type Role, TenantId, UserId } from "@ringmaster/domain"
import type { CredentialKind } from "@ringmaster/protocol"
import { Effect, Option } from "effect"
import { createHash, randomBytes, randomUUID } from "node:crypto"

/** Tokens are random 256-bit secrets; only their SHA-256 is stored, so a leaked table grants nothing. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex")

export const newToken = (): string => `rm_${randomBytes(32).toString("base64url")}`

/** A bearer token as stored, with the user it stands for; whether it still lets its holder in is decided above. */
export interface TokenRecord {
  readonly id: string
  readonly kind: CredentialKind
  readonly expiresAt: number | null
  readonly revokedAt: number | null
  readonly user: {
    readonly id: UserId
    readonly tenantId: TenantId
    readonly name: string
    readonly role: Role
    readonly agentId: AgentId | null
    readonly disabledAt: number | null
  }
}

interface TokenRow {
  readonly tokenHash: string
  readonly tokenId: string
  readonly kind: CredentialKind
  readonly expiresAt: number | null
  readonly revokedAt: number | null
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly role: Role
  readonly agentId: string | null
  readonly disabledAt: number | null
}

const tokenRecordOf = (r: TokenRow): TokenRecord => ({
  id: r.tokenId,
  kind: r.kind,
  expiresAt: r.expiresAt === null ? null : Number(r.expiresAt),
  revokedAt: r.revokedAt === null ? null : Number(r.revokedAt),
  user: {
    id: UserId.make(r.id),
    tenantId: TenantId.make(r.tenantId),
    name: r.name,
    role: r.role,
    agentId: r.agentId === null ? null : AgentId.make(r.agentId),
    disabledAt: r.disabledAt === null ? null : Number(r.disabledAt),
  },
})

/** At most this many tokens are looked up in one statement. */
const TOKENS_PER_STATEMENT = 500

/**
 * The stored record of each of `tokens` that exists, keyed by the token, in one statement per 500 tokens: the open
 * consoles of a process have their credentials checked together.
 */
export const lookupTokens = (tokens: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const byHash = new Map<string, string>()
    for (const token of tokens) byHash.set(hashToken(token), token)
    const hashes = Array.from(byHash.keys())
    const found = new Map<string, TokenRecord>()
    for (let i = 0; i < hashes.length; i += TOKENS_PER_STATEMENT) {
      const rows = yield* sql<TokenRow>`SELECT t.token_hash, t.id AS token_id, t.kind, t.expires_at, t.revoked_at,
          u.id, u.tenant_id, u.name, u.role, u.agent_id, u.disabled_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.tenant_id = t.tenant_id
        WHERE t.token_hash IN ${sql.in(hashes.slice(i, i + TOKENS_PER_STATEMENT))}`
      for (const row of rows) {
        const token = byHash.get(row.tokenHash)
        if (token !== undefined) found.set(token, tokenRecordOf(row))
      }
    }
    return found
  })

export const lookupToken = (token: string) =>
  Effect.map(lookupTokens([token]), (found) => Option.fromNullable(found.get(token)))

/** Stores a token the caller chose (the demo's fixed tokens) or made with `newToken`; returns its public id. */
export const insertToken = (input: {
  readonly token: string
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly label: string
  readonly now: number
  readonly kind?: CredentialKind
  readonly expiresAt?: number | null
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const id = randomUUID()
    yield* sql`INSERT INTO api_tokens (id, token_hash, tenant_id, user_id, label, kind, created_at, expires_at)
      VALUES (${id}, ${hashToken(input.token)}, ${input.tenantId}, ${input.userId}, ${input.label},
        ${input.kind ?? "api"}, ${input.now}, ${input.expiresAt ?? null})
      ON CONFLICT (token_hash) DO NOTHING`
    return id
  })

/** A new session for a user who just logged in: the secret (returned once), its id and its expiry. */
export const issueSession = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly now: number
  readonly ttlMs: number
}) =>
  Effect.gen(function* () {
    const token = newToken()
    const expiresAt = input.now + input.ttlMs
    const id = yield* insertToken({
      token,
      tenantId: input.tenantId,
      userId: input.userId,
      label: "login",
      now: input.now,
      kind: "session",
      expiresAt,
    })
    return { token, id, expiresAt }
  })

export interface ApiTokenRow {
  readonly id: string
  readonly label: string
  readonly createdAt: number
  readonly expiresAt: number | null
  readonly revokedAt: number | null
}

const toApiTokenRow = (r: {
  id: string
  label: string
  createdAt: number
  expiresAt: number | null
  revokedAt: number | null
}): ApiTokenRow => ({
  id: r.id,
  label: r.label,
  createdAt: Number(r.createdAt),
  expiresAt: r.expiresAt === null ? null : Number(r.expiresAt),
  revokedAt: r.revokedAt === null ? null : Number(r.revokedAt),
})

export const createApiToken = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly label: string
  readonly expiresAt: number | null
  readonly now: number
}) =>
  Effect.gen(function* () {
    const token = newToken()
    const id = yield* insertToken({ ...input, token, kind: "api" })
    const row: ApiTokenRow = {
      id,
      label: input.label,
      createdAt: input.now,
      expiresAt: input.expiresAt,
      revokedAt: null,
    }
    return { token, row }
  })

/** The user's API tokens that were not revoked, newest first. Sessions are not listed. */
export const listApiTokens = (tenantId: TenantId, userId: UserId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      id: string
      label: string
      createdAt: number
      expiresAt: number | null
      revokedAt: number | null
    }>`SELECT id, label, created_at, expires_at, revoked_at FROM api_tokens
      WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND kind = 'api' AND revoked_at IS NULL
      ORDER BY created_at DESC, id`
    return rows.map(toApiTokenRow)
  })

/** Revokes one token of one user; false when the user has no such live token. */
export const revokeToken = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly tokenId: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE api_tokens SET revoked_at = ${input.now}
      WHERE id = ${input.tokenId} AND tenant_id = ${input.tenantId} AND user_id = ${input.userId}
        AND revoked_at IS NULL
      RETURNING id`
    return rows.length > 0
  })

/** Revokes every live token of a user, or only its sessions; returns how many. */
export const revokeUserTokens = (input: {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly now: number
  readonly only?: CredentialKind
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE api_tokens SET revoked_at = ${input.now}
      WHERE tenant_id = ${input.tenantId} AND user_id = ${input.userId} AND revoked_at IS NULL
        AND (${input.only ?? null}::text IS NULL OR kind = ${input.only ?? null})
      RETURNING id`
    return rows.length
  })
