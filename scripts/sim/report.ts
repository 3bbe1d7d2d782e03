import { toJsonLine } from "../bench/lib/results.js"
import { figures } from "./metrics.js"
import type { DayResult, Figures } from "./metrics.js"

const metricUnits: ReadonlyArray<[keyof Figures, string, string]> = [
  ["occupancy", "occupancy", "ratio"],
  ["abandonmentRate", "abandonment_rate", "ratio"],
  ["dialsPerAgentHour", "dials_per_agent_hour", "dials/agent-hour"],
  ["contactsPerAgentHour", "contacts_per_agent_hour", "contacts/agent-hour"],
  ["speedToLeadP50", "speed_to_lead_p50", "s"],
  ["speedToLeadP90", "speed_to_lead_p90", "s"],
]

/** The JSON lines of one strategy's day: `{"bench":"sim","strategy",...,"metric","value","unit"}`. */
export const jsonLines = (result: DayResult): ReadonlyArray<string> => {
  const f = figures(result)
  const lines: Array<string> = []
  for (const [key, metric, unit] of metricUnits) {
    const line = toJsonLine({ bench: "sim", metric, value: f[key], unit })
    if (line !== undefined) lines.push(`{"bench":"sim","strategy":${JSON.stringify(result.strategy)},${line.slice(15)}`)
  }
  return lines
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "-")

/** A readable side-by-side table of the strategies' days. */
export const table = (results: ReadonlyArray<DayResult>): string => {
  const rows: Array<[string, (r: DayResult, f: Figures) => string]> = [
    ["occupancy", (_, f) => pct(f.occupancy)],
    ["abandonment rate", (_, f) => pct(f.abandonmentRate)],
    ["dials / agent-hour", (_, f) => num(f.dialsPerAgentHour)],
    ["contacts / agent-hour", (_, f) => num(f.contactsPerAgentHour, 2)],
    ["speed-to-lead p50 (s)", (_, f) => num(f.speedToLeadP50)],
    ["speed-to-lead p90 (s)", (_, f) => num(f.speedToLeadP90)],
    ["dials", (r) => String(r.dials)],
    ["people connected", (r) => String(r.outcomes.connected)],
    ["people abandoned", (r) => String(r.outcomes.abandoned)],
    ["machines to an agent / dropped", (r) => `${r.outcomes.machineToAgent} / ${r.outcomes.machineDropped}`],
    ["people AMD hung up on", (r) => String(r.outcomes.amdLostHuman)],
    ["new leads dialed / arrived", (r) => `${r.speedToLeadMs.length} / ${r.newLeads}`],
    ["decisions with no lead ready", (r) => String(r.starvedDecisions)],
    ["run time (s)", (r) => num(r.wallMs / 1000, 2)],
  ]
  const header = ["", ...results.map((r) => r.strategy)]
  const body = rows.map(([label, cell]) => [label, ...results.map((r) => cell(r, figures(r)))])
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? "").length)))
  const format = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")
  return [format(header), ...body.map(format)].join("\n")
}
