import { SqlClient } from "@effect/sql"
import { type AutoDialResult, type CallId, type TenantId, UserId } from "@ringmaster/domain"
import { Effect } from "effect"

export const markAutoDialed = (callId: CallId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE calls SET auto_dialed = true WHERE id = ${callId}`)

export const setDialResult = (callId: CallId, result: AutoDialResult) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE calls SET dial_result = ${result} WHERE id = ${callId}`)

export const isAutoDialed = (callId: CallId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ autoDialed: boolean }>`SELECT auto_dialed FROM calls WHERE id = ${callId}`
    return rows[0]?.autoDialed === true
  })

/** The agent chosen for an automatic call could not take it: the call has no agent again. */
export const clearCallAgent = (callId: CallId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE calls SET agent_id = NULL WHERE id = ${callId}`)

/** The users of a tenant who steer it (supervisors, managers, admins): they hear the campaign alerts. */
export const tenantSupervisors = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM users
      WHERE tenant_id = ${tenantId} AND role IN ('admin', 'supervisor', 'manager') ORDER BY id`
    return rows.map((r) => UserId.make(r.id))
  })
