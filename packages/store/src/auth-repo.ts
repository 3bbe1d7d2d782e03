import { SqlClient } from "@effect/sql"
import { AgentId, TenantId, UserId } from "@ringmaster/domain"
import type { AuthenticatedUser, Role } from "@ringmaster/protocol"
import { Effect, Option } from "effect"
import { createHash, randomBytes } from "node:crypto"

/** Tokens are random 256-bit secrets; only their SHA-256 is stored, so a leaked table grants nothing. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex")

export const newToken = (): string => `rm_${randomBytes(32).toString("base64url")}`

export const findUserByToken = (token: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; tenantId: string; name: string; role: Role; agentId: string | null }>`
      SELECT u.id, u.tenant_id, u.name, u.role, u.agent_id FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${hashToken(token)} AND t.revoked_at IS NULL`
    return Option.map(Option.fromNullable(rows[0]), (r): AuthenticatedUser => ({
      userId: UserId.make(r.id),
      tenantId: TenantId.make(r.tenantId),
      name: r.name,
      role: r.role,
      agentId: r.agentId === null ? null : AgentId.make(r.agentId),
    }))
  })

export const insertToken = (input: {
  readonly token: string
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly label: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO api_tokens (token_hash, tenant_id, user_id, label, created_at)
      VALUES (${hashToken(input.token)}, ${input.tenantId}, ${input.userId}, ${input.label}, ${input.now})
      ON CONFLICT (token_hash) DO NOTHING`
  })
