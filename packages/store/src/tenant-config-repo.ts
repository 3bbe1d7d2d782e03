import { SqlClient } from "@effect/sql"
import {
  type Cadence,
  type Disposition,
  DispositionId,
  LeadStatusId,
  LeadTypeId,
  Region,
  type TenantId,
  type TenantSettings,
  defaultSettings,
} from "@ringmaster/domain"
import { Effect } from "effect"
import { fromJson } from "./json.js"

export interface LeadTypeRow {
  readonly id: LeadTypeId
  readonly name: string
  readonly initialStatusId: LeadStatusId
  readonly priorityZero: boolean
}

export interface StatusRow {
  readonly id: LeadStatusId
  readonly name: string
}

/** Everything a tenant configures that the rules read: statuses, cadences, lead types, dispositions, settings. */
export interface TenantConfig {
  readonly tenantId: TenantId
  readonly region: Region
  readonly settings: TenantSettings
  readonly statuses: ReadonlyMap<LeadStatusId, StatusRow>
  readonly cadences: ReadonlyMap<LeadStatusId, Cadence>
  readonly leadTypes: ReadonlyMap<LeadTypeId, LeadTypeRow>
  readonly dispositions: ReadonlyMap<DispositionId, Disposition>
}

export const loadTenantConfig = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [tenant] = yield* sql<{ defaultRegion: string; settings: unknown }>`
      SELECT default_region, settings FROM tenants WHERE id = ${tenantId}`
    const statuses = yield* sql<{
      id: string
      name: string
    }>`SELECT id, name FROM lead_statuses WHERE tenant_id = ${tenantId}`
    const cadences = yield* sql<{
      statusId: string
      delaysMs: unknown
      priority: number
      finalStatusId: string
      maxAttempts: number
    }>`SELECT status_id, delays_ms, priority, final_status_id, max_attempts FROM cadences WHERE tenant_id = ${tenantId}`
    const types = yield* sql<{ id: string; name: string; initialStatusId: string; priorityZero: boolean }>`
      SELECT id, name, initial_status_id, priority_zero FROM lead_types WHERE tenant_id = ${tenantId}`
    const dispositions = yield* sql<{ id: string; label: string; kind: "status" | "cadence"; statusId: string | null }>`
      SELECT id, label, kind, status_id FROM dispositions WHERE tenant_id = ${tenantId} ORDER BY label`
    const config: TenantConfig = {
      tenantId,
      region: Region.make(tenant?.defaultRegion ?? "US"),
      settings: { ...defaultSettings, ...fromJson<Partial<TenantSettings>>(tenant?.settings ?? {}) },
      statuses: new Map(statuses.map((s) => [LeadStatusId.make(s.id), { id: LeadStatusId.make(s.id), name: s.name }])),
      cadences: new Map(
        cadences.map((c) => [
          LeadStatusId.make(c.statusId),
          {
            delaysMs: fromJson<Array<number>>(c.delaysMs),
            priority: c.priority,
            finalStatusId: LeadStatusId.make(c.finalStatusId),
            maxAttempts: c.maxAttempts,
          },
        ]),
      ),
      leadTypes: new Map(
        types.map((t) => [
          LeadTypeId.make(t.id),
          {
            id: LeadTypeId.make(t.id),
            name: t.name,
            initialStatusId: LeadStatusId.make(t.initialStatusId),
            priorityZero: t.priorityZero,
          },
        ]),
      ),
      dispositions: new Map(
        dispositions.map((d) => [
          DispositionId.make(d.id),
          {
            id: DispositionId.make(d.id),
            label: d.label,
            kind: d.kind,
            statusId: d.statusId === null ? null : LeadStatusId.make(d.statusId),
          },
        ]),
      ),
    }
    return config
  })
