import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** Queue-depletion thresholds per supervisor and campaign, the alerts sent, and the order of offers. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE depletion_thresholds (
    campaign_id text NOT NULL REFERENCES campaigns(id),
    user_id text NOT NULL REFERENCES users(id),
    tenant_id text NOT NULL REFERENCES tenants(id),
    threshold integer NOT NULL CHECK (threshold >= 0),
    PRIMARY KEY (campaign_id, user_id)
  )`
  yield* sql`CREATE TABLE alerts (
    id bigserial PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    campaign_id text REFERENCES campaigns(id),
    user_id text REFERENCES users(id),
    kind text NOT NULL,
    message text NOT NULL,
    at bigint NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb
  )`
  yield* sql`CREATE INDEX alerts_tenant_at ON alerts (tenant_id, at DESC)`
  // Offers are made one at a time by their campaign: the sequence records that order for reports and audits.
  yield* sql`ALTER TABLE offers ADD COLUMN seq bigserial`
})
