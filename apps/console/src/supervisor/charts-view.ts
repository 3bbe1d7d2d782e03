import type { StatsSample } from "@ringmaster/protocol"
import { html, nothing, svg } from "lit-html"
import { formatClock, stateLabel } from "../shared/format.js"
import {
  dayRange,
  defaultBox,
  type Domain,
  timeTicks,
  linePath,
  niceMax,
  scaleX,
  scaleY,
  stackedBands,
} from "./chart.js"

const box = defaultBox

export const stateColors = {
  OnCall: "#2f6fe0",
  WrapUp: "#8a4fd1",
  Online: "#2fa866",
  Busy: "#d9534f",
  OnBreak: "#e0a526",
} as const
type PlottedState = keyof typeof stateColors
const plotted = Object.keys(stateColors) as ReadonlyArray<PlottedState>

const axes = (domain: Domain, label: string) => svg`
  <line class="axis" x1=${box.left} y1=${box.height - box.bottom} x2=${box.width - box.right} y2=${box.height - box.bottom} />
  <line class="axis" x1=${box.left} y1=${box.top} x2=${box.left} y2=${box.height - box.bottom} />
  ${[0, domain.y1 / 2, domain.y1].map(
    (v) => svg`<text x=${box.left - 4} y=${scaleY(box, domain, v) + 3} text-anchor="end">${v}</text>
      <line class="axis" x1=${box.left} y1=${scaleY(box, domain, v)} x2=${box.width - box.right} y2=${scaleY(box, domain, v)} stroke-dasharray="2 3" />`,
  )}
  ${timeTicks(domain.x0, domain.x1).map(
    (t) => svg`<text x=${scaleX(box, domain, t)} y=${box.height - 5} text-anchor="middle">${formatClock(t)}</text>`,
  )}
  <title>${label}</title>
`

const empty = html`<p class="muted">No samples yet today: the server records one a minute.</p>`

export const queueDepthChart = (samples: ReadonlyArray<StatsSample>, since: number, now: number) => {
  if (samples.length === 0) return empty
  const domain: Domain = {
    ...dayRange(samples, since, now),
    y1: niceMax(Math.max(...samples.map((s) => s.ready + s.offered))),
  }
  const ready = samples.map((s) => ({ x: s.at, y: s.ready }))
  const last = samples[samples.length - 1]
  return html`<figure class="chart" data-testid="queue-chart">
    <svg viewBox="0 0 ${box.width} ${box.height}" role="img" aria-label="Queue depth over the day">
      ${axes(domain, "Leads in the queue")}
      <path d=${linePath(box, domain, ready)} fill="none" stroke="#1f5fd6" stroke-width="2" />
      ${
        last === undefined
          ? nothing
          : svg`<circle cx=${scaleX(box, domain, last.at)} cy=${scaleY(box, domain, last.ready)} r="3" fill="#1f5fd6" />`
      }
    </svg>
    <figcaption class="legend">
      <span style="--swatch: #1f5fd6">Ready leads${last === undefined ? nothing : html` (now ${last.ready})`}</span>
    </figcaption>
  </figure>`
}

export const agentStatesChart = (samples: ReadonlyArray<StatsSample>, since: number, now: number) => {
  if (samples.length === 0) return empty
  const total = (s: StatsSample) => plotted.reduce((sum, k) => sum + (s.agentsPerState[k] ?? 0), 0)
  const domain: Domain = { ...dayRange(samples, since, now), y1: niceMax(Math.max(...samples.map(total))) }
  const bands = stackedBands(
    box,
    domain,
    samples.map((s) => ({
      x: s.at,
      values: Object.fromEntries(plotted.map((k) => [k, s.agentsPerState[k] ?? 0])) as Record<PlottedState, number>,
    })),
    plotted,
  )
  return html`<figure class="chart" data-testid="states-chart">
    <svg viewBox="0 0 ${box.width} ${box.height}" role="img" aria-label="Agents per state over the day">
      ${axes(domain, "Agents logged in, per state")}
      ${bands.map((b) => svg`<path d=${b.path} fill=${stateColors[b.key]} fill-opacity="0.85" />`)}
    </svg>
    <figcaption class="legend">
      ${plotted.map((k) => html`<span style="--swatch: ${stateColors[k]}">${stateLabel(k)}</span>`)}
    </figcaption>
  </figure>`
}
