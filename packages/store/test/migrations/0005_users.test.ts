import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import initial from "../../src/migrations/0001_initial.js"
import alerts from "../../src/migrations/0002_alerts.js"
import compliance from "../../src/migrations/0003_compliance.js"
import inbound from "../../src/migrations/0004_inbound.js"
import users from "../../src/migrations/0005_users.js"
import { freshDatabase } from "../database-under-test.js"

layer(freshDatabase, { timeout: "120 seconds" })("migration 0005_users on a database with users", (it) => {
  it.effect("existing users get their email as username, tokens become API tokens with an id", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      for (const step of [initial, alerts, compliance, inbound]) yield* step
      yield* sql`INSERT INTO tenants (id, name, created_at) VALUES ('t', 'T', 0)`
      yield* sql`INSERT INTO users (id, tenant_id, name, email, role, created_at) VALUES
        ('u1', 't', 'One', 'Sam@Example.com', 'supervisor', 0),
        ('u2', 't', 'Two', 'sam@example.com', 'agent', 0)`
      yield* sql`INSERT INTO api_tokens (token_hash, tenant_id, user_id, label, created_at) VALUES ('h', 't', 'u1', 'x', 0)`
      yield* users
      const rows = yield* sql<{ id: string; username: string }>`SELECT id, username FROM users ORDER BY id`
      expect(rows).toEqual([
        { id: "u1", username: "sam@example.com" },
        { id: "u2", username: "sam@example.com-u2" },
      ])
      const tokens = yield* sql<{ kind: string; expiresAt: number | null; id: string }>`
        SELECT kind, expires_at, id FROM api_tokens`
      expect(tokens).toEqual([{ kind: "api", expiresAt: null, id: expect.stringMatching(/^[0-9a-f-]{36}$/) }])
      const refused = yield* Effect.either(
        sql`INSERT INTO users (id, tenant_id, username, name, role, created_at) VALUES ('u3', 't', 'SAM@example.com', 'x', 'analyst', 0)`,
      )
      expect(refused._tag).toBe("Left")
      yield* sql`INSERT INTO users (id, tenant_id, username, name, role, created_at) VALUES ('u4', 't', 'mo', 'Mo', 'manager', 0)`
    }),
  )
})
