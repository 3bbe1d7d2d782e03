import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Logins: a username unique per tenant (case-insensitive), the manager role, disabled users; tokens become
 * either sessions (issued by a login, with an expiry) or API tokens (for integrations, with a public id to list
 * and revoke them by). Operator tenants are the ones whose admins may create other tenants.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE tenants ADD COLUMN operator boolean NOT NULL DEFAULT false`

  yield* sql`ALTER TABLE users ADD COLUMN username text`
  // Existing users log in with their email; two emails differing only in case get the later user's id appended.
  yield* sql`UPDATE users SET username = lower(email) || CASE WHEN EXISTS (
      SELECT 1 FROM users o WHERE o.tenant_id = users.tenant_id AND lower(o.email) = lower(users.email) AND o.id < users.id
    ) THEN '-' || id ELSE '' END`
  yield* sql`ALTER TABLE users ALTER COLUMN username SET NOT NULL`
  yield* sql`CREATE UNIQUE INDEX users_tenant_username ON users (tenant_id, lower(username))`
  yield* sql`ALTER TABLE users ADD COLUMN disabled_at bigint`
  yield* sql`ALTER TABLE users ALTER COLUMN email DROP NOT NULL`
  yield* sql`ALTER TABLE users DROP CONSTRAINT users_role_check`
  yield* sql`ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'supervisor', 'manager', 'agent', 'analyst'))`

  yield* sql`ALTER TABLE api_tokens ADD COLUMN id text`
  yield* sql`UPDATE api_tokens SET id = gen_random_uuid()::text`
  yield* sql`ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL`
  yield* sql`CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id)`
  yield* sql`ALTER TABLE api_tokens ADD COLUMN kind text NOT NULL DEFAULT 'api' CHECK (kind IN ('session', 'api'))`
  yield* sql`ALTER TABLE api_tokens ADD COLUMN expires_at bigint`
  yield* sql`CREATE INDEX api_tokens_user ON api_tokens (user_id) WHERE revoked_at IS NULL`
})
