import { SqlClient } from "@effect/sql"
import { TenantId } from "@ringmaster/domain"
import { Effect, Option } from "effect"

export interface TenantRow {
  readonly id: TenantId
  readonly name: string
  readonly defaultRegion: string
  /** Admins of an operator tenant may create tenants. */
  readonly operator: boolean
  readonly createdAt: number
}

export const findTenant = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; name: string; defaultRegion: string; operator: boolean; createdAt: number }>`
      SELECT id, name, default_region, operator, created_at FROM tenants WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), (r): TenantRow => ({
      ...r,
      id: TenantId.make(r.id),
      createdAt: Number(r.createdAt),
    }))
  })

/** Inserts an empty tenant; false when the id is taken. */
export const insertTenant = (input: {
  readonly id: TenantId
  readonly name: string
  readonly defaultRegion: string
  readonly operator: boolean
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`INSERT INTO tenants (id, name, default_region, operator, created_at)
      VALUES (${input.id}, ${input.name}, ${input.defaultRegion}, ${input.operator}, ${input.now})
      ON CONFLICT (id) DO NOTHING RETURNING id`
    return rows.length > 0
  })
