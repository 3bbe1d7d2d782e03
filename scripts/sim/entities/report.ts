import { toJsonLine } from "../../bench/lib/results.js"
import { figures } from "../metrics.js"
import type { DayResult, Figures } from "../metrics.js"
import type { EntityDayResult } from "./day.js"
import { campaignAbandonmentRate, entityFigures } from "./figures.js"

const metricUnits: ReadonlyArray<[keyof Figures, string, string]> = [
  ["occupancy", "occupancy", "ratio"],
  ["abandonmentRate", "abandonment_rate", "ratio"],
  ["dialsPerAgentHour", "dials_per_agent_hour", "dials/agent-hour"],
  ["contactsPerAgentHour", "contacts_per_agent_hour", "contacts/agent-hour"],
  ["speedToLeadP50", "speed_to_lead_p50", "s"],
  ["speedToLeadP90", "speed_to_lead_p90", "s"],
]

/** The JSON lines of one day on the entities: the model's lines with `"mode":"entities"`. */
export const entityJsonLines = (day: EntityDayResult): ReadonlyArray<string> => {
  const f = entityFigures(day)
  const head = `{"bench":"sim","mode":"entities","strategy":${JSON.stringify(day.strategy)},`
  const lines: Array<string> = []
  const add = (metric: string, value: number, unit: string) => {
    const line = toJsonLine({ bench: "sim", metric, value, unit })
    if (line !== undefined) lines.push(head + line.slice(`{"bench":"sim",`.length))
  }
  for (const [key, metric, unit] of metricUnits) add(metric, f[key], unit)
  add("campaign_abandonment_rate", campaignAbandonmentRate(day), "ratio")
  add("database_transactions_per_dial", day.databaseTransactions / day.records.dials, "count")
  add("run_time", day.wallMs / 1000, "s")
  return lines
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "-")

/** The model's "as the campaign measures it" abandonment: drops over calls handled as people, machines included. */
const modelCampaignAbandonment = (r: DayResult) => {
  const o = r.outcomes
  const handled = o.connected + o.abandoned + o.machineToAgent + o.machineDropped
  return handled === 0 ? 0 : (o.abandoned + o.machineDropped) / handled
}

type Column =
  { readonly kind: "entities"; readonly day: EntityDayResult } | { readonly kind: "model"; readonly day: DayResult }

type Row = [string, (c: Column) => string]

const figuresOf = (c: Column): Figures => (c.kind === "entities" ? entityFigures(c.day) : figures(c.day))
const outcome = (c: Column, name: keyof DayResult["outcomes"]) =>
  c.kind === "entities" ? c.day.records.outcomes[name] : c.day.outcomes[name]

const rows: ReadonlyArray<Row> = [
  ["occupancy", (c) => pct(figuresOf(c).occupancy)],
  ["abandonment rate (people)", (c) => pct(figuresOf(c).abandonmentRate)],
  [
    "abandonment as the campaign counts",
    (c) => pct(c.kind === "entities" ? campaignAbandonmentRate(c.day) : modelCampaignAbandonment(c.day)),
  ],
  ["dials / agent-hour", (c) => num(figuresOf(c).dialsPerAgentHour)],
  ["contacts / agent-hour", (c) => num(figuresOf(c).contactsPerAgentHour, 2)],
  ["speed-to-lead p50 (s)", (c) => num(figuresOf(c).speedToLeadP50)],
  ["speed-to-lead p90 (s)", (c) => num(figuresOf(c).speedToLeadP90)],
  ["dials", (c) => String(c.kind === "entities" ? c.day.records.dials : c.day.dials)],
  ["people connected", (c) => String(outcome(c, "connected"))],
  ["people abandoned", (c) => String(outcome(c, "abandoned"))],
  ["machines to an agent / dropped", (c) => `${outcome(c, "machineToAgent")} / ${outcome(c, "machineDropped")}`],
  ["people AMD hung up on", (c) => String(outcome(c, "amdLostHuman"))],
  [
    "new leads dialed / arrived",
    (c) =>
      c.kind === "entities"
        ? `${c.day.records.speedToLeadMs.length} / ${c.day.newLeads}`
        : `${c.day.speedToLeadMs.length} / ${c.day.newLeads}`,
  ],
  [
    "dials unresolved / inconsistent",
    (c) => (c.kind === "entities" ? `${c.day.conservation.unresolved} / ${c.day.conservation.inconsistent}` : "-"),
  ],
  ["clock steps", (c) => (c.kind === "entities" ? String(c.day.steps) : "-")],
  [
    "database transactions / dial",
    (c) => (c.kind === "entities" ? num(c.day.databaseTransactions / c.day.records.dials) : "-"),
  ],
  ["run time (s)", (c) => num(c.day.wallMs / 1000, 2)],
]

/**
 * Each strategy's day on the entities beside the model's day for the same options (the model's column is headed
 * `<strategy> model`): the figures should agree within the noise of one day.
 */
export const entityTable = (
  pairs: ReadonlyArray<{ readonly entities: EntityDayResult; readonly model: DayResult }>,
) => {
  const columns: Array<[string, Column]> = pairs.flatMap(({ entities, model }) => [
    [entities.strategy, { kind: "entities", day: entities }] as [string, Column],
    [`${model.strategy} model`, { kind: "model", day: model }] as [string, Column],
  ])
  const header = ["", ...columns.map(([name]) => name)]
  const body = rows.map(([label, cell]) => [label, ...columns.map(([, c]) => cell(c))])
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? "").length)))
  const format = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")
  return [format(header), ...body.map(format)].join("\n")
}
