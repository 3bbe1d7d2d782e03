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

interface RawTenantConfig {
  readonly defaultRegion: string | null
  readonly settings: unknown
  readonly statuses: unknown
  readonly cadences: unknown
  readonly leadTypes: unknown
  readonly dispositions: unknown
}

/**
 * A tenant's whole configuration in one statement (one snapshot, one round trip): every entity reads it, and its
 * cache is refreshed every few seconds per tenant. An unknown tenant reads as the defaults with nothing configured.
 */
export const loadTenantConfig = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [raw] = yield* sql<RawTenantConfig>`SELECT t.default_region, t.settings,
        (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name)), '[]'::json)
          FROM lead_statuses s WHERE s.tenant_id = k.id) AS statuses,
        (SELECT coalesce(json_agg(json_build_object('statusId', c.status_id, 'delaysMs', c.delays_ms,
            'priority', c.priority, 'finalStatusId', c.final_status_id, 'maxAttempts', c.max_attempts)), '[]'::json)
          FROM cadences c WHERE c.tenant_id = k.id) AS cadences,
        (SELECT coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'initialStatusId', l.initial_status_id,
            'priorityZero', l.priority_zero)), '[]'::json)
          FROM lead_types l WHERE l.tenant_id = k.id) AS lead_types,
        (SELECT coalesce(json_agg(json_build_object('id', d.id, 'label', d.label, 'kind', d.kind,
            'statusId', d.status_id) ORDER BY d.label), '[]'::json)
          FROM dispositions d WHERE d.tenant_id = k.id) AS dispositions
      FROM (SELECT ${tenantId}::text AS id) AS k LEFT JOIN tenants t ON t.id = k.id`
    const statuses = fromJson<Array<{ id: string; name: string }>>(raw?.statuses ?? [])
    const cadences = fromJson<
      Array<{ statusId: string; delaysMs: Array<number>; priority: number; finalStatusId: string; maxAttempts: number }>
    >(raw?.cadences ?? [])
    const types = fromJson<Array<{ id: string; name: string; initialStatusId: string; priorityZero: boolean }>>(
      raw?.leadTypes ?? [],
    )
    const dispositions = fromJson<
      Array<{ id: string; label: string; kind: "status" | "cadence"; statusId: string | null }>
    >(raw?.dispositions ?? [])
    const config: TenantConfig = {
      tenantId,
      region: Region.make(raw?.defaultRegion ?? "US"),
      settings: { ...defaultSettings, ...fromJson<Partial<TenantSettings>>(raw?.settings ?? {}) },
      statuses: new Map(statuses.map((s) => [LeadStatusId.make(s.id), { id: LeadStatusId.make(s.id), name: s.name }])),
      cadences: new Map(
        cadences.map((c) => [
          LeadStatusId.make(c.statusId),
          {
            delaysMs: c.delaysMs,
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
