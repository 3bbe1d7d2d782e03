import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Compliance: the internal do-not-call list, the blacklist, per-state rules, lead time zones and refused dials. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // A row blocks its number; one with a lead blocks that lead at any number too.
  yield* sql`CREATE TABLE dnc_entries (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    phone text NOT NULL,
    lead_id text REFERENCES leads(id),
    source text NOT NULL CHECK (source IN ('internal', 'opt-out-sms', 'opt-out-verbal', 'import')),
    reason text,
    created_at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX dnc_entries_tenant_phone ON dnc_entries (tenant_id, phone)`
  yield* sql`CREATE INDEX dnc_entries_tenant_lead ON dnc_entries (tenant_id, lead_id) WHERE lead_id IS NOT NULL`
  yield* sql`CREATE TABLE blacklist_entries (
    tenant_id text NOT NULL REFERENCES tenants(id),
    phone text NOT NULL,
    reason text,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, phone)
  )`
  yield* sql`CREATE TABLE state_rules (
    tenant_id text NOT NULL REFERENCES tenants(id),
    state text NOT NULL,
    start_hour integer NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
    end_hour integer NOT NULL CHECK (end_hour BETWEEN 1 AND 24 AND end_hour > start_hour),
    max_calls_24h integer CHECK (max_calls_24h >= 1),
    PRIMARY KEY (tenant_id, state)
  )`
  // An IANA name ("America/Chicago"); null means "from the number".
  yield* sql`ALTER TABLE leads ADD COLUMN time_zone text`
  // call_id has no foreign key: a dial may be refused before its call row is written.
  yield* sql`CREATE TABLE dial_blocks (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    lead_id text REFERENCES leads(id),
    agent_id text REFERENCES agents(id),
    call_id text,
    phone text NOT NULL,
    reason text NOT NULL,
    message text NOT NULL,
    at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX dial_blocks_tenant_at ON dial_blocks (tenant_id, at DESC, id DESC)`
  // The count of calls to a number in the last 24 hours, asked before every dial under a state's limit.
  yield* sql`CREATE INDEX calls_tenant_to_created ON calls (tenant_id, to_number, created_at)`
})
