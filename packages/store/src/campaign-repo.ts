import { SqlClient } from "@effect/sql"
import { CampaignId, E164, TenantId } from "@ringmaster/domain"
import { Effect, Option } from "effect"

export interface CampaignRow {
  readonly id: CampaignId
  readonly tenantId: TenantId
  readonly name: string
  readonly mode: "manual" | "auto"
  readonly dialRatio: number
  readonly callerId: E164
  readonly paused: boolean
}

interface RawCampaign {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly mode: "manual" | "auto"
  readonly dialRatio: number
  readonly callerId: string
  readonly paused: boolean
}

const toRow = (r: RawCampaign): CampaignRow => ({
  ...r,
  id: CampaignId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  callerId: E164.make(r.callerId),
})

export const findCampaign = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCampaign>`SELECT id, tenant_id, name, mode, dial_ratio, caller_id, paused
      FROM campaigns WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

export const findTenantCampaign = (tenantId: TenantId, id: string) =>
  Effect.map(
    findCampaign(id),
    Option.filter((c) => c.tenantId === tenantId),
  )
