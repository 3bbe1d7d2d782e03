import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Authentication } from "../auth.js"
import { Forbidden, NotFound, ValidationError } from "../errors.js"

const ReportParams = {
  from: Schema.optional(Schema.String).annotations({
    description: "First day (2024-05-01, UTC) or instant (2024-05-01T09:30:00Z) included",
  }),
  to: Schema.optional(Schema.String).annotations({
    description: "Last day included (2024-05-31, UTC), or the instant where the period ends (excluded)",
  }),
  campaignId: Schema.optional(Schema.String).annotations({ description: "Only this campaign" }),
  agentId: Schema.optional(Schema.String).annotations({ description: "Only this agent" }),
}

const Csv = HttpApiSchema.Text({ contentType: "text/csv" }).annotations({
  description: "RFC 4180 CSV (UTF-8, CRLF, a header line), streamed; cells a spreadsheet would run are prefixed with '",
})

const csvEndpoint = <const Name extends string, const Path extends `/${string}`>(name: Name, path: Path) =>
  HttpApiEndpoint.get(name, path).addSuccess(Csv).addError(ValidationError).addError(NotFound).addError(Forbidden)

/** CSV downloads for analysts, supervisors and admins; always of the caller's tenant. */
export class ReportsGroup extends HttpApiGroup.make("reports")
  .add(
    csvEndpoint("calls", "/reports/calls.csv")
      .setUrlParams(Schema.Struct(ReportParams))
      .annotate(OpenApi.Description, "Every call started in the period, oldest first: who, when, how it ended."),
  )
  .add(
    csvEndpoint("consultations", "/reports/consultations.csv")
      .setUrlParams(Schema.Struct(ReportParams))
      .annotate(
        OpenApi.Description,
        "Every consultation booked and case sold in the period (recorded through outcomes), in the order recorded.",
      ),
  )
  .add(
    csvEndpoint("intakeConsultation", "/reports/intake-consultation.csv")
      .setUrlParams(
        Schema.Struct({
          ...ReportParams,
          groupBy: Schema.optional(Schema.String).annotations({ description: "day (default), agent or campaign" }),
        }),
      )
      .annotate(
        OpenApi.Description,
        "Leads received and contacted, consultations booked, cases sold and the rates between them, per UTC day, " +
          "agent or campaign.",
      ),
  )
  .middleware(Authentication) {}
