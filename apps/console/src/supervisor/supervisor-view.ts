import type {
  AgentView,
  CadenceView,
  CallbackTaskView,
  CampaignLiveStats,
  CampaignView,
  DncEntryView,
  LeadStatusView,
  LeadTypeView,
  QueueItemView,
  StatsSample,
} from "@ringmaster/protocol"
import { html, nothing, type TemplateResult } from "lit-html"
import type { ConnectionStatus } from "../shared/connection.js"
import { connectionBanner } from "../shared/connection-banner.js"
import {
  formatAgo,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatPercent,
  formatPhone,
  stateLabel,
} from "../shared/format.js"
import { formatDelays } from "./cadence-delays.js"
import { agentStatesChart, queueDepthChart } from "./charts-view.js"
import { type SupervisorState, sortedAgents } from "./supervisor-state.js"

export const reports = [
  { path: "/reports/calls.csv", label: "Calls", file: "calls.csv" },
  { path: "/reports/consultations.csv", label: "Consultations", file: "consultations.csv" },
  { path: "/reports/intake-consultation.csv", label: "Intake & Consultation", file: "intake-consultation.csv" },
] as const

export interface SupervisorModel {
  readonly me: { readonly name: string; readonly role: string } | null
  readonly live: SupervisorState
  readonly connection: ConnectionStatus
  readonly now: number
  readonly since: number
  readonly campaigns: ReadonlyArray<CampaignView>
  readonly campaignId: string | null
  readonly stats: CampaignLiveStats | null
  readonly series: ReadonlyArray<StatsSample>
  readonly queue: ReadonlyArray<QueueItemView>
  /** Callers to call back (missed inbound calls), oldest first. */
  readonly callbacks: ReadonlyArray<CallbackTaskView>
  /** The newest entries of the do-not-call list. */
  readonly dnc: ReadonlyArray<typeof DncEntryView.Type>
  readonly leadTypes: ReadonlyArray<LeadTypeView>
  readonly cadences: ReadonlyArray<CadenceView>
  readonly statuses: ReadonlyArray<LeadStatusView>
  readonly reportFrom: string
  readonly reportTo: string
  readonly error: string | null
  readonly announcement: string
}

/** A cadence as its form holds it, before it is checked. */
export interface CadenceForm {
  readonly delays: string
  readonly priority: string
  readonly maxAttempts: string
  readonly finalStatusId: string
}

export interface SupervisorActions {
  readonly selectCampaign: (campaignId: string) => void
  readonly setPriorityZero: (leadTypeId: string, on: boolean) => void
  readonly setDialRatio: (ratio: string) => void
  readonly setAutoDialer: (on: boolean) => void
  readonly setPaused: (paused: boolean) => void
  readonly setAgentState: (agentId: string, state: string) => void
  readonly saveCadence: (statusId: string, form: CadenceForm) => void
  readonly callbackDone: (taskId: number) => void
  readonly addDnc: (phone: string, reason: string) => void
  readonly removeDnc: (entryId: number, phone: string) => void
  readonly setReportRange: (from: string, to: string) => void
  readonly download: (path: string, file: string) => void
  readonly signOut: () => void
}

const ms = (value: number | null) => (value === null ? "—" : formatLatency(value))

const kpi = (label: string, value: string, tone: "" | "warn" | "bad" = "", testId?: string) =>
  html`<div class="kpi ${tone}" data-testid=${testId ?? nothing}>
    <div class="value">${value}</div>
    <div class="label">${label}</div>
  </div>`

const kpis = (model: SupervisorModel) => {
  const s = model.stats
  if (s === null) return html`<p class="muted">Loading the campaign's figures…</p>`
  const abandonTone = s.abandonment.level === "pause" ? "bad" : s.abandonment.level === "warn" ? "warn" : ""
  return html`<div class="kpis">
    ${kpi("Queue depth (ready)", String(s.leads.ready), "", "kpi-queue")}
    ${kpi("Speed to lead p50", ms(s.speedToLead.p50Ms))} ${kpi("Speed to lead p90", ms(s.speedToLead.p90Ms))}
    ${kpi("Attempts today", String(s.today.attempts), "", "kpi-attempts")}
    ${kpi("Contacts today", String(s.today.contacts))}
    ${kpi(`Abandonment (${s.abandonment.windowDays} days)`, formatPercent(s.abandonment.rate), abandonTone)}
    ${kpi("Occupancy today", formatPercent(s.occupancy.rate))}
    ${kpi("Waiting for next attempt", String(s.leads.waiting))}
  </div>`
}

const settableStates = ["Online", "Busy", "OnBreak", "Offline"] as const

const agentRow = (agent: AgentView, model: SupervisorModel, actions: SupervisorActions) => html`
  <tr data-testid="agent-row" data-agent-id=${agent.agentId}>
    <td>${agent.name}</td>
    <td>
      <span class="state-badge state-${agent.state}" data-testid="agent-row-state">${stateLabel(agent.state)}</span>
    </td>
    <td class="num" data-testid="agent-row-time">${formatDuration(model.now - agent.stateSince)}</td>
    <td>
      ${
        agent.call !== null
          ? html`${agent.call.phase} · ${formatPhone(agent.call.to)}`
          : agent.pendingOffer !== null
            ? html`Notified: ${agent.pendingOffer.lead.name}`
            : agent.workingLeadId !== null
              ? "Outcome pending"
              : html`<span class="muted">—</span>`
      }
    </td>
    <td>
      <label class="sr-only" for="set-${agent.agentId}">Set the state of ${agent.name}</label>
      <select
        id="set-${agent.agentId}"
        .value=${""}
        ?disabled=${agent.state === "OnCall"}
        @change=${(e: Event) => {
          const select = e.currentTarget as HTMLSelectElement
          if (select.value !== "") actions.setAgentState(agent.agentId, select.value)
          select.value = ""
        }}
      >
        <option value="">Set…</option>
        ${settableStates.map((s) => html`<option value=${s}>${stateLabel(s)}</option>`)}
      </select>
    </td>
  </tr>
`

const agentsCard = (model: SupervisorModel, actions: SupervisorActions) => {
  const agents = sortedAgents(model.live).filter(
    (a) => model.campaignId === null || a.campaignId === null || a.campaignId === model.campaignId,
  )
  return html`<section class="card span-7" aria-labelledby="agents-title">
    <h2 id="agents-title">Agents <span class="muted small">live</span></h2>
    <table data-testid="agents">
      <thead>
        <tr>
          <th>Agent</th>
          <th>State</th>
          <th class="num">Time in state</th>
          <th>Now</th>
          <th><span class="sr-only">Change</span></th>
        </tr>
      </thead>
      <tbody>
        ${agents.map((a) => agentRow(a, model, actions))}
      </tbody>
    </table>
  </section>`
}

const alertsCard = (model: SupervisorModel) =>
  html`<section class="card span-5" aria-labelledby="alerts-title">
    <h2 id="alerts-title">Alerts</h2>
    ${
      model.live.alerts.length === 0
        ? html`<p class="muted">No alerts. Queue depletion and abandonment warnings show here as they happen.</p>`
        : html`<ul class="alerts" data-testid="alerts">
            ${model.live.alerts.map(
              (a) =>
                html`<li class="alert-${a.kind.startsWith("abandon") ? "abandonment" : "other"}">
                  <strong>${a.kind.replace(/-/g, " ")}</strong> · <time>${formatAgo(a.at, model.now)}</time
                  ><br />${a.message}
                </li>`,
            )}
          </ul>`
    }
  </section>`

const queueCard = (model: SupervisorModel) =>
  html`<section class="card span-7" aria-labelledby="queue-title">
    <h2 id="queue-title">
      Top of the queue
      <span class="muted small">${model.stats === null ? "" : `${model.stats.leads.ready} ready`}</span>
    </h2>
    ${
      model.queue.length === 0
        ? html`<p class="muted">The queue is empty.</p>`
        : html`<table data-testid="queue">
            <thead>
              <tr>
                <th class="num">#</th>
                <th>Lead</th>
                <th>Type</th>
                <th>Status</th>
                <th>Placed by</th>
                <th>Due</th>
              </tr>
            </thead>
            <tbody>
              ${model.queue.map(
                (q) =>
                  html`<tr>
                    <td class="num">${q.position}</td>
                    <td>${q.name} <span class="muted small">${formatPhone(q.phone)}</span></td>
                    <td>${q.leadType}</td>
                    <td>${q.status}</td>
                    <td>
                      ${
                        q.callbackSince === null
                          ? html`<span class="pill">${q.rule}</span>`
                          : html`<span class="pill warn" title=${`caller missed ${formatDateTime(q.callbackSince)}`}
                              >callback</span
                            >`
                      }
                    </td>
                    <td>${q.nextAttemptAt <= model.now ? "now" : formatDateTime(q.nextAttemptAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`

/** How an entry came onto the list, as a supervisor says it. */
const dncSources: Readonly<Record<string, string>> = {
  internal: "added by hand",
  "opt-out-sms": "texted STOP",
  "opt-out-verbal": "asked on a call",
  import: "imported",
}

const dncCard = (model: SupervisorModel, actions: SupervisorActions) =>
  html`<section class="card span-6" aria-labelledby="dnc-title">
    <h2 id="dnc-title">Do not call <span class="muted small">newest first</span></h2>
    <form
      class="inline-form"
      data-testid="dnc-form"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault()
        const form = event.currentTarget as HTMLFormElement
        const field = (name: string) => {
          const element = form.elements.namedItem(name)
          return element instanceof HTMLInputElement ? element.value : ""
        }
        actions.addDnc(field("phone"), field("reason"))
      }}
    >
      <label>Number <input name="phone" required autocomplete="off" placeholder="(415) 555-2671" /></label>
      <label>Why <input name="reason" autocomplete="off" placeholder="asked not to be called" /></label>
      <button type="submit">Add</button>
    </form>
    ${
      model.dnc.length === 0
        ? html`<p class="muted">Nobody yet. Opt-outs (a STOP text, a person who asks on a call) show here too.</p>`
        : html`<table data-testid="dnc">
            <thead>
              <tr>
                <th>Number</th>
                <th>How</th>
                <th>Since</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${model.dnc.map(
                (e) =>
                  html`<tr>
                    <td>${formatPhone(e.phone)}</td>
                    <td>
                      ${dncSources[e.source] ?? e.source}
                      ${e.reason === null ? nothing : html`<span class="muted small">${e.reason}</span>`}
                    </td>
                    <td><time>${formatAgo(e.createdAt, model.now)}</time></td>
                    <td>
                      <button class="quiet" @click=${() => actions.removeDnc(e.id, e.phone)}>
                        Remove<span class="sr-only"> ${formatPhone(e.phone)}</span>
                      </button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`

const callbacksCard = (model: SupervisorModel, actions: SupervisorActions) =>
  html`<section class="card span-6" aria-labelledby="callbacks-title">
    <h2 id="callbacks-title">
      Callers to call back
      <span class="muted small">${model.callbacks.length === 0 ? "" : model.callbacks.length}</span>
    </h2>
    ${
      model.callbacks.length === 0
        ? html`<p class="muted">Nobody. An inbound call no agent answered shows here until someone calls back.</p>`
        : html`<table data-testid="callbacks">
            <thead>
              <tr>
                <th>Caller</th>
                <th>Why</th>
                <th>Since</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${model.callbacks.map(
                (t) =>
                  html`<tr>
                    <td>${t.leadName} <span class="muted small">${formatPhone(t.phone)}</span></td>
                    <td>${t.reason}</td>
                    <td><time>${formatAgo(t.createdAt, model.now)}</time></td>
                    <td>
                      <button class="quiet" @click=${() => actions.callbackDone(t.id)}>
                        Done<span class="sr-only"> with ${t.leadName}</span>
                      </button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`

const controlsCard = (model: SupervisorModel, actions: SupervisorActions) => {
  const campaign = model.campaigns.find((c) => c.id === model.campaignId) ?? null
  return html`<section class="card span-5" aria-labelledby="controls-title">
    <h2 id="controls-title">Controls</h2>
    <h3>Priority 0 per lead type</h3>
    ${model.leadTypes.map(
      (t) =>
        html`<label class="switch">
          <span
            >${t.name}
            <small class="muted"
              >${t.priorityZero ? "priority 0: ahead of all but recycled leads" : "normal order"}</small
            >
          </span>
          <input
            type="checkbox"
            role="switch"
            data-testid="priority-zero-${t.id}"
            .checked=${t.priorityZero}
            aria-checked=${t.priorityZero ? "true" : "false"}
            @change=${(e: Event) => actions.setPriorityZero(t.id, (e.currentTarget as HTMLInputElement).checked)}
          />
        </label>`,
    )}
    <h3>Dialing</h3>
    ${
      campaign === null
        ? html`<p class="muted">No campaign selected.</p>`
        : html`<label class="switch">
              <span
                >Auto-dialer
                <small class="muted"
                  >${campaign.mode === "auto" ? "on: the campaign dials ahead of its agents" : "off: agents are offered leads"}</small
                >
              </span>
              <input
                type="checkbox"
                role="switch"
                data-testid="auto-dialer"
                .checked=${campaign.mode === "auto"}
                aria-checked=${campaign.mode === "auto" ? "true" : "false"}
                @change=${(e: Event) => actions.setAutoDialer((e.currentTarget as HTMLInputElement).checked)}
              />
            </label>
            <label class="switch">
              <span
                >Paused
                <small class="muted"
                  >${campaign.status === "paused" ? "no hand-outs and no dials until resumed" : "working"}</small
                >
              </span>
              <input
                type="checkbox"
                role="switch"
                data-testid="campaign-paused"
                .checked=${campaign.status === "paused"}
                aria-checked=${campaign.status === "paused" ? "true" : "false"}
                @change=${(e: Event) => actions.setPaused((e.currentTarget as HTMLInputElement).checked)}
              />
            </label>
            <label
              >Dials per available agent (${campaign.mode === "auto" ? "auto-dialer on" : "auto-dialer off"})
              <select
                data-testid="dial-ratio"
                .value=${String(campaign.dialRatio)}
                @change=${(e: Event) => actions.setDialRatio((e.currentTarget as HTMLSelectElement).value)}
              >
                <option value="1.5">1.5 : 1 conservative</option>
                <option value="2">2.0 : 1 balanced</option>
                <option value="3">3.0 : 1 aggressive</option>
                <option value="adaptive">Adaptive (under the abandonment limit)</option>
              </select>
            </label>`
    }
  </section>`
}

const cadenceForm = (cadence: CadenceView, model: SupervisorModel, actions: SupervisorActions) => {
  const id = `cadence-${cadence.statusId}`
  return html`<form
    class="cadence"
    data-testid=${id}
    aria-label="Cadence of ${cadence.status}"
    @submit=${(e: Event) => {
      e.preventDefault()
      const data = new FormData(e.currentTarget as HTMLFormElement)
      const field = (name: string) => String(data.get(name) ?? "")
      actions.saveCadence(cadence.statusId, {
        delays: field("delays"),
        priority: field("priority"),
        maxAttempts: field("maxAttempts"),
        finalStatusId: field("finalStatusId"),
      })
    }}
  >
    <strong>${cadence.status}</strong>
    <label
      >Delays between attempts
      <input name="delays" .value=${formatDelays(cadence.delaysMs)} placeholder="30m, 2h, 1d" autocomplete="off"
    /></label>
    <label>Priority <input name="priority" type="number" min="1" step="1" .value=${String(cadence.priority)} /></label>
    <label
      >Attempts at most <input name="maxAttempts" type="number" min="1" step="1" .value=${String(cadence.maxAttempts)}
    /></label>
    <label
      >Then
      <select name="finalStatusId" .value=${cadence.finalStatusId}>
        ${model.statuses.map(
          (st) => html`<option value=${st.id} ?selected=${st.id === cadence.finalStatusId}>${st.name}</option>`,
        )}
      </select>
    </label>
    <button type="submit">Save</button>
  </form>`
}

const cadencesCard = (model: SupervisorModel, actions: SupervisorActions) =>
  html`<section class="card span-12" aria-labelledby="cadences-title">
    <h2 id="cadences-title">Cadences</h2>
    <p class="muted small">
      Each status's delays before the next attempt (the first after the lead enters it), its queue priority (1 first),
      and where a lead goes after its last attempt. Saving re-times the waiting leads of the status from their last
      contact.
    </p>
    ${
      model.cadences.length === 0
        ? html`<p class="muted">No status has a cadence.</p>`
        : model.cadences.map((c) => cadenceForm(c, model, actions))
    }
  </section>`

const reportsCard = (model: SupervisorModel, actions: SupervisorActions) =>
  html`<section class="card span-12" aria-labelledby="reports-title">
    <h2 id="reports-title">Reports (CSV)</h2>
    <form class="inline-form" @submit=${(e: Event) => e.preventDefault()}>
      <label
        >From
        <input
          type="date"
          name="from"
          .value=${model.reportFrom}
          @change=${(e: Event) => actions.setReportRange((e.currentTarget as HTMLInputElement).value, model.reportTo)}
      /></label>
      <label
        >To
        <input
          type="date"
          name="to"
          .value=${model.reportTo}
          @change=${(e: Event) => actions.setReportRange(model.reportFrom, (e.currentTarget as HTMLInputElement).value)}
      /></label>
      <div class="downloads">
        ${reports.map(
          (r) =>
            html`<button
              type="button"
              data-testid="download-${r.file}"
              @click=${() => actions.download(r.path, r.file)}
            >
              Download ${r.label}
            </button>`,
        )}
      </div>
    </form>
    <p class="muted small">
      Of the campaign
      shown${model.reportFrom === "" ? "" : `, from ${model.reportFrom}`}${
        model.reportTo === "" ? "" : ` to ${model.reportTo}`
      }.
    </p>
  </section>`

export const supervisorPage = (model: SupervisorModel, actions: SupervisorActions): TemplateResult => html`
  <header class="topbar">
    <span class="brand">Ringmaster <span class="muted">Supervisor</span></span>
    ${
      model.campaigns.length > 1
        ? html`<label class="sr-only" for="campaign">Campaign</label>
            <select
              id="campaign"
              style="width: auto; margin: 0"
              .value=${model.campaignId ?? ""}
              @change=${(e: Event) => actions.selectCampaign((e.currentTarget as HTMLSelectElement).value)}
            >
              ${model.campaigns.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
            </select>`
        : html`<span>${model.campaigns[0]?.name ?? ""}</span>`
    }
    <span class="who">${model.me?.name ?? ""}</span>
    <span class="link link-${model.connection._tag}" data-testid="connection"
      >${model.connection._tag === "open" ? "Live" : "Reconnecting"}</span
    >
    <button class="quiet" @click=${actions.signOut}>Sign out</button>
  </header>
  ${connectionBanner(model.connection, model.now)}
  ${model.error === null ? nothing : html`<div class="banner error" role="alert">${model.error}</div>`}
  <div class="sr-only" aria-live="polite" aria-atomic="true">${model.announcement}</div>
  <main class="sup-grid">
    <section class="card span-12" aria-label="Campaign figures">${kpis(model)}</section>
    ${agentsCard(model, actions)} ${alertsCard(model)} ${queueCard(model)} ${controlsCard(model, actions)}
    ${callbacksCard(model, actions)} ${dncCard(model, actions)}
    <section class="card span-6" aria-labelledby="chart-queue-title">
      <h2 id="chart-queue-title">Queue depth today</h2>
      ${queueDepthChart(model.series, model.since, model.now)}
    </section>
    <section class="card span-6" aria-labelledby="chart-states-title">
      <h2 id="chart-states-title">Agent states today</h2>
      ${agentStatesChart(model.series, model.since, model.now)}
    </section>
    ${cadencesCard(model, actions)} ${reportsCard(model, actions)}
  </main>
`
