import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Reports: dispositions that book a consultation or sell a case, the conversions recorded through outcomes, and the
 * indexes that let a report walk a tenant's calls and conversions in time order, page by page.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE dispositions
    ADD COLUMN books_consultation boolean NOT NULL DEFAULT false,
    ADD COLUMN sells_case boolean NOT NULL DEFAULT false`
  // One row per conversion: an outcome whose disposition has both flags writes two rows.
  yield* sql`CREATE TABLE lead_conversions (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    kind text NOT NULL CHECK (kind IN ('consultation_booked', 'case_sold')),
    lead_id text NOT NULL REFERENCES leads(id),
    call_id text REFERENCES calls(id),
    agent_id text REFERENCES agents(id),
    campaign_id text REFERENCES campaigns(id),
    disposition_id text NOT NULL REFERENCES dispositions(id),
    at bigint NOT NULL
  )`
  yield* sql`CREATE INDEX lead_conversions_tenant_at ON lead_conversions (tenant_id, at, id)`
  yield* sql`CREATE INDEX calls_tenant_created ON calls (tenant_id, created_at, id)`
})
