import { SqlClient } from "@effect/sql"
import {
  type AmdMode,
  type AutoDialResult,
  type CallId,
  type CampaignId,
  type TenantId,
  UserId,
} from "@ringmaster/domain"
import { Effect, Option } from "effect"

/** How a campaign's auto-dialer works, as a supervisor set it. */
export interface DialerSettings {
  readonly autoDialer: boolean
  readonly paused: boolean
  /** Dials per free agent (with adaptive pacing: where it starts). */
  readonly dialRatio: number
  readonly adaptive: boolean
  readonly amdMode: AmdMode
  readonly maxLines: number
  readonly notSureAs: "human" | "machine"
  readonly machineMessage: string | null
  readonly abandonMessage: string
}

export const findDialerSettings = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      mode: string
      pacing: string
      paused: boolean
      dialRatio: number
      amdMode: AmdMode
      maxLines: number
      amdNotSure: "human" | "machine"
      machineMessage: string | null
      abandonMessage: string
    }>`SELECT mode, pacing, paused, dial_ratio, amd_mode, max_lines, amd_not_sure, machine_message, abandon_message
      FROM campaigns WHERE id = ${campaignId}`
    return Option.map(Option.fromNullable(rows[0]), (r): DialerSettings => ({
      autoDialer: r.mode === "auto",
      paused: r.paused,
      dialRatio: Number(r.dialRatio),
      adaptive: r.pacing === "adaptive",
      amdMode: r.amdMode,
      maxLines: r.maxLines,
      notSureAs: r.amdNotSure,
      machineMessage: r.machineMessage,
      abandonMessage: r.abandonMessage,
    }))
  })

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
