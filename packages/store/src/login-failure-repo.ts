import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const keyOf = (tenant: string, username: string) => ({
  tenant: tenant.trim().toLowerCase(),
  username: username.trim().toLowerCase(),
})

/** When this login failed recently (epoch ms, within `windowMs` of `now`); also forgets older failures of it. */
export const recentLoginFailures = (tenant: string, username: string, now: number, windowMs: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const key = keyOf(tenant, username)
    yield* sql`DELETE FROM login_failures WHERE tenant = ${key.tenant} AND username = ${key.username}
      AND at <= ${now - windowMs}`
    const rows = yield* sql<{ at: number | string }>`SELECT at FROM login_failures
      WHERE tenant = ${key.tenant} AND username = ${key.username} ORDER BY at DESC`
    return rows.map((r) => Number(r.at))
  })

export const recordLoginFailure = (tenant: string, username: string, now: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const key = keyOf(tenant, username)
    return sql`INSERT INTO login_failures (tenant, username, at) VALUES (${key.tenant}, ${key.username}, ${now})`
  })

/** A successful login starts its count again. */
export const clearLoginFailures = (tenant: string, username: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const key = keyOf(tenant, username)
    return sql`DELETE FROM login_failures WHERE tenant = ${key.tenant} AND username = ${key.username}`
  })
