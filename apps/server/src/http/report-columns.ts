import type { CallReportRow, ConversionReportRow, IntakeReportRow } from "@ringmaster/store"
import type { CsvColumn } from "./csv.js"
import type { IntakeGroupBy } from "./report-filter.js"

/** ISO 8601 in UTC (`2024-05-01T09:30:00.000Z`), or an empty cell. */
const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString())

/** Seconds between two times, to a tenth; empty when either is missing. */
const secondsBetween = (start: number | null, end: number | null): number | null =>
  start === null || end === null ? null : Math.round((end - start) / 100) / 10

/** `part` as a percentage of `whole`, to a tenth; empty when `whole` is 0. */
const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1_000) / 10

export const callColumns: ReadonlyArray<CsvColumn<CallReportRow>> = [
  { header: "call_id", cell: (r) => r.callId },
  { header: "started_at", cell: (r) => iso(r.createdAt) },
  { header: "direction", cell: (r) => r.direction },
  { header: "lead_id", cell: (r) => r.leadId },
  { header: "lead_name", cell: (r) => r.leadName },
  { header: "phone", cell: (r) => r.phone },
  { header: "agent_id", cell: (r) => r.agentId },
  { header: "agent_name", cell: (r) => r.agentName },
  { header: "campaign_id", cell: (r) => r.campaignId },
  { header: "campaign_name", cell: (r) => r.campaignName },
  { header: "source", cell: (r) => r.source },
  { header: "disposition_id", cell: (r) => r.dispositionId },
  { header: "disposition", cell: (r) => r.disposition },
  { header: "phase", cell: (r) => r.phase },
  { header: "amd_result", cell: (r) => r.amdResult },
  { header: "answered_at", cell: (r) => iso(r.answeredAt) },
  { header: "ended_at", cell: (r) => iso(r.endedAt) },
  { header: "duration_seconds", cell: (r) => secondsBetween(r.createdAt, r.endedAt) },
  { header: "talk_seconds", cell: (r) => secondsBetween(r.answeredAt, r.endedAt) },
  { header: "hangup_cause", cell: (r) => r.hangupCause },
  { header: "auto_dialed", cell: (r) => String(r.autoDialed) },
  { header: "live_answered", cell: (r) => String(r.liveAnswered) },
  { header: "abandoned_at", cell: (r) => iso(r.abandonedAt) },
]

export const conversionColumns: ReadonlyArray<CsvColumn<ConversionReportRow>> = [
  { header: "recorded_at", cell: (r) => iso(r.at) },
  { header: "kind", cell: (r) => r.kind },
  { header: "lead_id", cell: (r) => r.leadId },
  { header: "lead_name", cell: (r) => r.leadName },
  { header: "phone", cell: (r) => r.phone },
  { header: "lead_type", cell: (r) => r.leadType },
  { header: "lead_status", cell: (r) => r.leadStatus },
  { header: "lead_received_at", cell: (r) => iso(r.leadCreatedAt) },
  { header: "agent_id", cell: (r) => r.agentId },
  { header: "agent_name", cell: (r) => r.agentName },
  { header: "campaign_id", cell: (r) => r.campaignId },
  { header: "campaign_name", cell: (r) => r.campaignName },
  { header: "disposition_id", cell: (r) => r.dispositionId },
  { header: "disposition", cell: (r) => r.disposition },
  { header: "call_id", cell: (r) => r.callId },
]

const groupColumns: Record<IntakeGroupBy, ReadonlyArray<CsvColumn<IntakeReportRow>>> = {
  day: [{ header: "day", cell: (r) => r.key }],
  agent: [
    { header: "agent_id", cell: (r) => r.key },
    { header: "agent_name", cell: (r) => r.name },
  ],
  campaign: [
    { header: "campaign_id", cell: (r) => r.key },
    { header: "campaign_name", cell: (r) => r.name },
  ],
}

/** The Intake & Consultation report: counts, then the rates between them (percentages, empty when undefined). */
export const intakeColumns = (groupBy: IntakeGroupBy): ReadonlyArray<CsvColumn<IntakeReportRow>> => [
  ...groupColumns[groupBy],
  { header: "leads_received", cell: (r) => r.leadsReceived },
  { header: "leads_contacted", cell: (r) => r.leadsContacted },
  { header: "consultations_booked", cell: (r) => r.consultationsBooked },
  { header: "cases_sold", cell: (r) => r.casesSold },
  { header: "contact_rate_pct", cell: (r) => percent(r.leadsContacted, r.leadsReceived) },
  { header: "consultation_rate_pct", cell: (r) => percent(r.consultationsBooked, r.leadsContacted) },
  { header: "case_rate_pct", cell: (r) => percent(r.casesSold, r.consultationsBooked) },
  { header: "lead_to_case_rate_pct", cell: (r) => percent(r.casesSold, r.leadsReceived) },
]
