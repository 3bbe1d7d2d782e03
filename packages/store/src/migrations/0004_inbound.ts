import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Inbound numbers (DIDs) and the source they stand for, the source of each call, and callback tasks. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE inbound_numbers (
    did text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    campaign_id text NOT NULL REFERENCES campaigns(id),
    source text NOT NULL,
    created_at bigint NOT NULL
  )`
  yield* sql`ALTER TABLE calls ADD COLUMN source text`
  yield* sql`CREATE TABLE callback_tasks (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    lead_id text NOT NULL REFERENCES leads(id),
    call_id text REFERENCES calls(id),
    reason text NOT NULL,
    created_at bigint NOT NULL,
    done_at bigint
  )`
  yield* sql`CREATE INDEX calls_lead_phase ON calls (lead_id, phase)`
})
