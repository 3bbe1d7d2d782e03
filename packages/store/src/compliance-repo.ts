import { SqlClient } from "@effect/sql"
import { AgentId, CallId, DialBlockReason, E164, LeadId, StateRule, TenantId, type UsState } from "@ringmaster/domain"
import { Effect, Schema } from "effect"

/** How a number came onto the do-not-call list: by hand, an SMS "STOP", a verbal opt-out, or an imported list. */
export const DncSource = Schema.Literal("internal", "opt-out-sms", "opt-out-verbal", "import")
export type DncSource = typeof DncSource.Type

const DncEntrySchema = Schema.Struct({
  id: Schema.Number,
  tenantId: TenantId,
  phone: E164,
  leadId: Schema.NullOr(LeadId),
  source: DncSource,
  reason: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
})
export type DncEntry = typeof DncEntrySchema.Type

const BlacklistEntrySchema = Schema.Struct({
  tenantId: TenantId,
  phone: E164,
  reason: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
})
export type BlacklistEntry = typeof BlacklistEntrySchema.Type

const DialBlockSchema = Schema.Struct({
  id: Schema.Number,
  tenantId: TenantId,
  leadId: Schema.NullOr(LeadId),
  agentId: Schema.NullOr(AgentId),
  callId: Schema.NullOr(CallId),
  phone: E164,
  reason: DialBlockReason,
  message: Schema.String,
  at: Schema.Number,
})
export type DialBlockRow = typeof DialBlockSchema.Type

/** Rows are written only through this module, so a row that does not decode is a defect, not an input error. */
const decodeRows =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<A>> =>
    Effect.orDie(Schema.decodeUnknown(Schema.Array(schema))(rows))

const dncColumns = "id, tenant_id, phone, lead_id, source, reason, created_at"

// --- do-not-call -----------------------------------------------------------------------------------------------------

export interface NewDncEntry {
  readonly tenantId: TenantId
  readonly phone: E164
  /** The lead who asked, when known: the lead is then not dialled at any of its numbers. */
  readonly leadId: LeadId | null
  readonly source: DncSource
  readonly reason: string | null
  readonly now: number
}

/** Puts a number (and its lead) on the do-not-call list; an identical entry already there is returned as it is. */
export const addDncEntry = (entry: NewDncEntry) => Effect.map(placeDncEntry(entry), (placed) => placed.entry)

/** `addDncEntry`, saying whether the entry is new (`added`) or was there already. */
export const placeDncEntry = (entry: NewDncEntry) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const existing = yield* sql`SELECT ${sql.literal(dncColumns)} FROM dnc_entries
      WHERE tenant_id = ${entry.tenantId} AND phone = ${entry.phone}
        AND lead_id IS NOT DISTINCT FROM ${entry.leadId} ORDER BY id LIMIT 1`.pipe(
      Effect.flatMap(decodeRows(DncEntrySchema)),
    )
    const found = existing[0]
    if (found !== undefined) return { entry: found, added: false }
    const inserted = yield* sql`INSERT INTO dnc_entries (tenant_id, phone, lead_id, source, reason, created_at)
      VALUES (${entry.tenantId}, ${entry.phone}, ${entry.leadId}, ${entry.source}, ${entry.reason}, ${entry.now})
      RETURNING ${sql.literal(dncColumns)}`.pipe(Effect.flatMap(decodeRows(DncEntrySchema)))
    const row = inserted[0]
    if (row === undefined) return yield* Effect.dieMessage("INSERT INTO dnc_entries returned no row")
    return { entry: row, added: true }
  })

/** One entry of the tenant's list by its id, or null. */
export const findDncEntry = (tenantId: TenantId, id: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT ${sql.literal(dncColumns)} FROM dnc_entries
      WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(Effect.flatMap(decodeRows(DncEntrySchema)))
    return rows[0] ?? null
  })

/** Removes one entry; false when it is not the tenant's. */
export const removeDncEntry = (tenantId: TenantId, id: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM dnc_entries WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`
    return rows.length === 1
  })

/** Takes a number off the list (every entry for it, whichever lead it was added for); returns how many went. */
export const removeDncNumber = (tenantId: TenantId, phone: E164) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM dnc_entries WHERE tenant_id = ${tenantId} AND phone = ${phone} RETURNING id`
    return rows.length
  })

/** Takes a lead off the list (every entry added for it); returns how many went. */
export const removeDncLead = (tenantId: TenantId, leadId: LeadId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM dnc_entries WHERE tenant_id = ${tenantId} AND lead_id = ${leadId} RETURNING id`
    return rows.length
  })

/** The tenant's entries, newest first, optionally only those of one number or one lead. */
export const listDncEntries = (
  tenantId: TenantId,
  options: { readonly phone?: E164; readonly leadId?: LeadId; readonly limit: number },
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const where = sql.and([
      sql`tenant_id = ${tenantId}`,
      ...(options.phone === undefined ? [] : [sql`phone = ${options.phone}`]),
      ...(options.leadId === undefined ? [] : [sql`lead_id = ${options.leadId}`]),
    ])
    return yield* sql`SELECT ${sql.literal(dncColumns)} FROM dnc_entries WHERE ${where}
      ORDER BY created_at DESC, id DESC LIMIT ${options.limit}`.pipe(Effect.flatMap(decodeRows(DncEntrySchema)))
  })

/** The oldest do-not-call entry for the number (whoever it was added for), and the oldest for the lead. */
export const isOnInternalDnc = (tenantId: TenantId, phone: E164, leadId: LeadId | null) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const byNumber = yield* sql`SELECT ${sql.literal(dncColumns)} FROM dnc_entries
      WHERE tenant_id = ${tenantId} AND phone = ${phone} ORDER BY created_at, id LIMIT 1`.pipe(
      Effect.flatMap(decodeRows(DncEntrySchema)),
    )
    const byLead =
      leadId === null
        ? []
        : yield* sql`SELECT ${sql.literal(dncColumns)} FROM dnc_entries
            WHERE tenant_id = ${tenantId} AND lead_id = ${leadId} ORDER BY created_at, id LIMIT 1`.pipe(
            Effect.flatMap(decodeRows(DncEntrySchema)),
          )
    return { byNumber: byNumber[0] ?? null, byLead: byLead[0] ?? null }
  })

// --- blacklist -------------------------------------------------------------------------------------------------------

/** Puts a number on the blacklist, or updates the reason of the entry already there (keeping when it was added). */
export const addBlacklistEntry = (entry: {
  readonly tenantId: TenantId
  readonly phone: E164
  readonly reason: string | null
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`INSERT INTO blacklist_entries (tenant_id, phone, reason, created_at)
      VALUES (${entry.tenantId}, ${entry.phone}, ${entry.reason}, ${entry.now})
      ON CONFLICT (tenant_id, phone) DO UPDATE SET reason = EXCLUDED.reason
      RETURNING tenant_id, phone, reason, created_at`.pipe(Effect.flatMap(decodeRows(BlacklistEntrySchema)))
    const row = rows[0]
    if (row === undefined) return yield* Effect.dieMessage("INSERT INTO blacklist_entries returned no row")
    return row
  })

/** False when the number was not on the tenant's blacklist. */
export const removeBlacklistEntry = (tenantId: TenantId, phone: E164) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM blacklist_entries WHERE tenant_id = ${tenantId} AND phone = ${phone}
      RETURNING phone`
    return rows.length === 1
  })

export const listBlacklist = (tenantId: TenantId, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql`SELECT tenant_id, phone, reason, created_at FROM blacklist_entries
      WHERE tenant_id = ${tenantId} ORDER BY created_at DESC, phone LIMIT ${limit}`.pipe(
      Effect.flatMap(decodeRows(BlacklistEntrySchema)),
    )
  })

/** The number's blacklist entry, or null. */
export const blacklistEntry = (tenantId: TenantId, phone: E164) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT tenant_id, phone, reason, created_at FROM blacklist_entries
      WHERE tenant_id = ${tenantId} AND phone = ${phone}`.pipe(Effect.flatMap(decodeRows(BlacklistEntrySchema)))
    return rows[0] ?? null
  })

export const isBlacklisted = (tenantId: TenantId, phone: E164) =>
  Effect.map(blacklistEntry(tenantId, phone), (entry) => entry !== null)

// --- state rules -----------------------------------------------------------------------------------------------------

const stateRuleColumns = "state, start_hour, end_hour, max_calls_24h AS max_calls_per24h"

/** Sets the tenant's rule for a state (replacing the one there). */
export const upsertStateRule = (tenantId: TenantId, rule: StateRule) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO state_rules (tenant_id, state, start_hour, end_hour, max_calls_24h)
      VALUES (${tenantId}, ${rule.state}, ${rule.startHour}, ${rule.endHour}, ${rule.maxCallsPer24h})
      ON CONFLICT (tenant_id, state) DO UPDATE SET start_hour = EXCLUDED.start_hour, end_hour = EXCLUDED.end_hour,
        max_calls_24h = EXCLUDED.max_calls_24h`
  })

/** False when the tenant had no rule for the state. */
export const deleteStateRule = (tenantId: TenantId, state: UsState) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM state_rules WHERE tenant_id = ${tenantId} AND state = ${state} RETURNING state`
    return rows.length === 1
  })

export const listStateRules = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql`SELECT ${sql.literal(stateRuleColumns)} FROM state_rules WHERE tenant_id = ${tenantId}
      ORDER BY state`.pipe(Effect.flatMap(decodeRows(StateRule)))
  })

/** The tenant's rule for the state, or null. */
export const stateRuleFor = (tenantId: TenantId, state: UsState) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT ${sql.literal(stateRuleColumns)} FROM state_rules
      WHERE tenant_id = ${tenantId} AND state = ${state}`.pipe(Effect.flatMap(decodeRows(StateRule)))
    return rows[0] ?? null
  })

// --- calls, time zones, refused dials --------------------------------------------------------------------------------

/**
 * Outbound calls of the tenant to `phone` created at or after `since` (epoch ms). `excludeCallId` leaves out the
 * call being checked, when its row is already written.
 */
export const callsToNumberSince = (
  tenantId: TenantId,
  phone: E164,
  since: number,
  excludeCallId: CallId | null = null,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: number }>`SELECT count(*) AS count FROM calls
      WHERE tenant_id = ${tenantId} AND to_number = ${phone} AND direction = 'outbound' AND created_at >= ${since}
        AND id IS DISTINCT FROM ${excludeCallId}`
    return Number(rows[0]?.count ?? 0)
  })

// --- the dial gate's facts -------------------------------------------------------------------------------------------

/** What the dial gate reads from the database about one dial. */
export interface DialFacts {
  /** The oldest do-not-call entry for the number, whoever it was added for. */
  readonly dncByNumber: DncEntry | null
  /** The oldest do-not-call entry for the lead (null without a lead). */
  readonly dncByLead: DncEntry | null
  readonly blacklist: BlacklistEntry | null
  /** The tenant's rule for the state (null without a state). */
  readonly stateRule: StateRule | null
  /** Outbound calls to the number since `since`; null (not counted) unless the state rule has a limit. */
  readonly callsSince: number | null
  /** The lead's own time zone as stored (null without a lead, or when it has none). */
  readonly leadTimeZone: string | null
}

const DialFactsSchema = Schema.Struct({
  dncByNumber: Schema.NullOr(DncEntrySchema),
  dncByLead: Schema.NullOr(DncEntrySchema),
  blacklist: Schema.NullOr(BlacklistEntrySchema),
  stateRule: Schema.NullOr(StateRule),
  callsSince: Schema.NullOr(Schema.Number),
  leadTimeZone: Schema.NullOr(Schema.String),
})

/** `alias.column AS prefix_column` for each column ("column AS name" keeps its name), for one flat result row. */
const prefixedColumns = (alias: string, prefix: string, columns: string) =>
  columns
    .split(", ")
    .map((column) => {
      const [source, name = source] = column.split(" AS ")
      return `${alias}.${source} AS ${prefix}_${name}`
    })
    .join(", ")

/**
 * The fields of `row` whose (camel-cased) names start with `prefix`, without it, or null when the row's `key` field
 * is null (a LEFT JOIN that found nothing).
 */
const unprefixed = (row: Readonly<Record<string, unknown>>, prefix: string, key: string) => {
  const keyValue = row[`${prefix}${key}`]
  if (keyValue === null || keyValue === undefined) return null
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(row)) {
    if (!name.startsWith(prefix)) continue
    const rest = name.slice(prefix.length)
    fields[rest.charAt(0).toLowerCase() + rest.slice(1)] = value
  }
  return fields
}

/**
 * Everything the dial gate needs from the database, in one statement: what `isOnInternalDnc`, `blacklistEntry`,
 * `stateRuleFor` and `callsToNumberSince` answer, the count only when the state's rule has a limit.
 */
export const dialFacts = (input: {
  readonly tenantId: TenantId
  readonly phone: E164
  readonly leadId: LeadId | null
  readonly usState: UsState | null
  readonly since: number
  readonly excludeCallId: CallId | null
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { tenantId, phone } = input
    const columns = [
      prefixedColumns("n", "dnc_by_number", dncColumns),
      prefixedColumns("l", "dnc_by_lead", dncColumns),
      prefixedColumns("b", "blacklist", "tenant_id, phone, reason, created_at"),
      prefixedColumns("r", "state_rule", stateRuleColumns),
    ].join(", ")
    // A null lead or state matches no row (`= NULL` is never true).
    const rows = yield* sql<Record<string, unknown>>`SELECT ${sql.literal(columns)},
        CASE WHEN r.max_calls_24h IS NOT NULL THEN (
          SELECT count(*) FROM calls
          WHERE tenant_id = ${tenantId} AND to_number = ${phone} AND direction = 'outbound'
            AND created_at >= ${input.since} AND id IS DISTINCT FROM ${input.excludeCallId}
        ) END AS calls_since,
        (SELECT time_zone FROM leads WHERE id = ${input.leadId} AND tenant_id = ${tenantId}) AS lead_time_zone
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT ${sql.literal(dncColumns)} FROM dnc_entries
        WHERE tenant_id = ${tenantId} AND phone = ${phone} ORDER BY created_at, id LIMIT 1) AS n ON true
      LEFT JOIN LATERAL (SELECT ${sql.literal(dncColumns)} FROM dnc_entries
        WHERE tenant_id = ${tenantId} AND lead_id = ${input.leadId} ORDER BY created_at, id LIMIT 1) AS l ON true
      LEFT JOIN LATERAL (SELECT tenant_id, phone, reason, created_at FROM blacklist_entries
        WHERE tenant_id = ${tenantId} AND phone = ${phone}) AS b ON true
      LEFT JOIN LATERAL (SELECT state, start_hour, end_hour, max_calls_24h FROM state_rules
        WHERE tenant_id = ${tenantId} AND state = ${input.usState}) AS r ON true`
    const row = rows[0]
    if (row === undefined) return yield* Effect.dieMessage("the dial facts query returned no row")
    const facts: DialFacts = yield* Effect.orDie(
      Schema.decodeUnknown(DialFactsSchema)({
        dncByNumber: unprefixed(row, "dncByNumber", "Id"),
        dncByLead: unprefixed(row, "dncByLead", "Id"),
        blacklist: unprefixed(row, "blacklist", "Phone"),
        stateRule: unprefixed(row, "stateRule", "State"),
        callsSince: row["callsSince"] ?? null,
        leadTimeZone: row["leadTimeZone"] ?? null,
      }),
    )
    return facts
  })

/** Sets the lead's own time zone (an IANA name, checked by the caller), or clears it with null; false for another tenant's lead. */
export const setLeadTimeZone = (tenantId: TenantId, leadId: LeadId, zone: string | null) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE leads SET time_zone = ${zone} WHERE id = ${leadId} AND tenant_id = ${tenantId}
      RETURNING id`
    return rows.length === 1
  })

export interface NewDialBlock {
  readonly tenantId: TenantId
  readonly leadId: LeadId | null
  readonly agentId: AgentId | null
  readonly callId: CallId | null
  readonly phone: E164
  readonly reason: DialBlockReason
  readonly message: string
  readonly at: number
}

export const recordDialBlock = (block: NewDialBlock) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO dial_blocks (tenant_id, lead_id, agent_id, call_id, phone, reason, message, at)
      VALUES (${block.tenantId}, ${block.leadId}, ${block.agentId}, ${block.callId}, ${block.phone}, ${block.reason},
        ${block.message}, ${block.at})`
  })

/** The tenant's refused dials, newest first. */
export const listDialBlocks = (tenantId: TenantId, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql`SELECT id, tenant_id, lead_id, agent_id, call_id, phone, reason, message, at FROM dial_blocks
      WHERE tenant_id = ${tenantId} ORDER BY at DESC, id DESC LIMIT ${limit}`.pipe(
      Effect.flatMap(decodeRows(DialBlockSchema)),
    )
  })
