import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { DispositionId, LeadStatusId, LeadTypeId, TenantId, defaultSettings } from "@ringmaster/domain"
import { Effect, Layer } from "effect"
import { Migrator } from "../src/migrator.js"
import { loadTenantConfig } from "../src/tenant-config-repo.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))

/** A tenant configured by hand, row by row, so that what is read back can be compared with what was written. */
const configureTenant = (key: string, settings: string, region: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO tenants (id, name, default_region, settings, created_at)
      VALUES (${key}, ${`Tenant ${key}`}, ${region}, ${settings}::jsonb, 0)`
    for (const name of ["New", "Call back", "Won"]) {
      yield* sql`INSERT INTO lead_statuses (id, tenant_id, name, terminal) VALUES (${`${key}-${name}`}, ${key}, ${name}, ${name === "Won"})`
    }
    yield* sql`INSERT INTO cadences (status_id, tenant_id, delays_ms, priority, final_status_id, max_attempts)
      VALUES (${`${key}-New`}, ${key}, '[0, 60000, 3600000]'::jsonb, 2, ${`${key}-Won`}, 3),
        (${`${key}-Call back`}, ${key}, '[900000]'::jsonb, 1, ${`${key}-Won`}, 5)`
    yield* sql`INSERT INTO lead_types (id, tenant_id, name, initial_status_id, priority_zero)
      VALUES (${`${key}-web`}, ${key}, 'Web form', ${`${key}-New`}, false),
        (${`${key}-hot`}, ${key}, 'Pre-closed', ${`${key}-Call back`}, true)`
    yield* sql`INSERT INTO dispositions (id, tenant_id, label, kind, status_id)
      VALUES (${`${key}-d1`}, ${key}, 'Won', 'status', ${`${key}-Won`}),
        (${`${key}-d2`}, ${key}, 'Call back later', 'cadence', NULL),
        (${`${key}-d3`}, ${key}, 'Not interested', 'status', ${`${key}-Won`})`
  })

layer(database)("loadTenantConfig", (it) => {
  it.effect("reads every part of one tenant's configuration, and nothing of another tenant's", () =>
    Effect.gen(function* () {
      yield* configureTenant("cfg-a", `{"notificationTimeoutMs": 45000, "callingHoursStart": 7}`, "GB")
      yield* configureTenant("cfg-b", `{}`, "US")
      const config = yield* loadTenantConfig(TenantId.make("cfg-a"))

      expect(config.tenantId).toBe("cfg-a")
      expect(config.region).toBe("GB")
      // Saved settings override the defaults; the rest are the defaults.
      expect(config.settings).toEqual({ ...defaultSettings, notificationTimeoutMs: 45_000, callingHoursStart: 7 })
      expect(Array.from(config.statuses.values()).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { id: "cfg-a-Call back", name: "Call back" },
        { id: "cfg-a-New", name: "New" },
        { id: "cfg-a-Won", name: "Won" },
      ])
      expect(config.cadences.get(LeadStatusId.make("cfg-a-New"))).toEqual({
        delaysMs: [0, 60_000, 3_600_000],
        priority: 2,
        finalStatusId: "cfg-a-Won",
        maxAttempts: 3,
      })
      expect(config.cadences.get(LeadStatusId.make("cfg-a-Call back"))).toEqual({
        delaysMs: [900_000],
        priority: 1,
        finalStatusId: "cfg-a-Won",
        maxAttempts: 5,
      })
      expect(config.cadences.size).toBe(2)
      expect(config.leadTypes.get(LeadTypeId.make("cfg-a-hot"))).toEqual({
        id: "cfg-a-hot",
        name: "Pre-closed",
        initialStatusId: "cfg-a-Call back",
        priorityZero: true,
      })
      expect(config.leadTypes.get(LeadTypeId.make("cfg-a-web"))?.priorityZero).toBe(false)
      expect(config.leadTypes.size).toBe(2)
      // Dispositions come in label order (the agent's outcome list shows them so).
      expect(Array.from(config.dispositions.values())).toEqual([
        { id: "cfg-a-d2", label: "Call back later", kind: "cadence", statusId: null },
        { id: "cfg-a-d3", label: "Not interested", kind: "status", statusId: "cfg-a-Won" },
        { id: "cfg-a-d1", label: "Won", kind: "status", statusId: "cfg-a-Won" },
      ])
      expect(config.dispositions.get(DispositionId.make("cfg-b-d1"))).toBeUndefined()
    }),
  )

  it.effect("reads an unknown tenant as the defaults with nothing configured", () =>
    Effect.gen(function* () {
      const config = yield* loadTenantConfig(TenantId.make("cfg-nobody"))
      expect(config.region).toBe("US")
      expect(config.settings).toEqual(defaultSettings)
      expect([config.statuses.size, config.cadences.size, config.leadTypes.size, config.dispositions.size]).toEqual([
        0, 0, 0, 0,
      ])
    }),
  )
})
