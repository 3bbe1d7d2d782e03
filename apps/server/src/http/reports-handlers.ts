import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { rolesWith } from "@ringmaster/domain"
import { notFound, RingmasterApi } from "@ringmaster/protocol"
import {
  callReportRows,
  conversionReportRows,
  findTenantAgent,
  findTenantCampaign,
  intakeReportRows,
  type ReportFilter,
} from "@ringmaster/store"
import { Effect, Option, Stream } from "effect"
import { csvStream, type CsvColumn } from "./csv.js"
import { callColumns, conversionColumns, intakeColumns } from "./report-columns.js"
import { parseGroupBy, parseReportPeriod } from "./report-filter.js"
import { requireRole } from "./roles.js"

interface ReportParams {
  readonly from?: string | undefined
  readonly to?: string | undefined
  readonly campaignId?: string | undefined
  readonly agentId?: string | undefined
}

/**
 * The caller's filter: readers only (an agent gets 403), always their own tenant; a bad date is a 400 naming it,
 * a campaign or agent the tenant does not have is a 404.
 */
const reportFilter = (params: ReportParams) =>
  Effect.gen(function* () {
    const user = yield* requireRole(...rolesWith("read"))
    const period = yield* parseReportPeriod(params)
    let campaignId: ReportFilter["campaignId"] = null
    if (params.campaignId !== undefined) {
      const campaign = yield* findTenantCampaign(user.tenantId, params.campaignId).pipe(Effect.orDie)
      if (Option.isNone(campaign)) return yield* notFound("campaign", params.campaignId)
      campaignId = campaign.value.id
    }
    let agentId: ReportFilter["agentId"] = null
    if (params.agentId !== undefined) {
      const agent = yield* findTenantAgent(user.tenantId, params.agentId).pipe(Effect.orDie)
      if (Option.isNone(agent)) return yield* notFound("agent", params.agentId)
      agentId = agent.value.id
    }
    const filter: ReportFilter = { tenantId: user.tenantId, ...period, campaignId, agentId }
    return filter
  })

/**
 * A CSV download whose rows are read from the database while the body is written: the client's pace drives the
 * queries. Headers are sent before the first row, so a failure after that can only cut the body short (logged).
 */
const csvResponse = <A, E>(
  name: string,
  columns: ReadonlyArray<CsvColumn<A>>,
  rows: Stream.Stream<A, E, SqlClient.SqlClient>,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const body = csvStream(columns, rows).pipe(
      Stream.provideService(SqlClient.SqlClient, sql),
      Stream.tapErrorCause((cause) => Effect.logError(`report ${name} failed while streaming`, cause)),
    )
    return HttpServerResponse.stream(body, {
      contentType: "text/csv; charset=utf-8",
      headers: { "content-disposition": `attachment; filename="${name}.csv"`, "cache-control": "no-store" },
    })
  })

export const ReportsHandlers = HttpApiBuilder.group(RingmasterApi, "reports", (handlers) =>
  Effect.succeed(
    handlers
      .handle("calls", ({ urlParams }) =>
        Effect.flatMap(reportFilter(urlParams), (filter) => csvResponse("calls", callColumns, callReportRows(filter))),
      )
      .handle("consultations", ({ urlParams }) =>
        Effect.flatMap(reportFilter(urlParams), (filter) =>
          csvResponse("consultations", conversionColumns, conversionReportRows(filter)),
        ),
      )
      .handle("intakeConsultation", ({ urlParams }) =>
        Effect.gen(function* () {
          const filter = yield* reportFilter(urlParams)
          const groupBy = yield* parseGroupBy(urlParams.groupBy)
          // one line per day, agent or campaign: few enough to read at once
          const rows = yield* intakeReportRows(filter, groupBy).pipe(Effect.orDie)
          return yield* csvResponse("intake-consultation", intakeColumns(groupBy), Stream.fromIterable(rows))
        }),
      ),
  ),
)
