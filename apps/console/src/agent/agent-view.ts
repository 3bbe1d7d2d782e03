import type { LeadCard, LeadView, PendingOffer } from "@ringmaster/protocol"
import { html, nothing, type TemplateResult } from "lit-html"
import { classMap } from "lit-html/directives/class-map.js"
import type { ConnectionStatus } from "../shared/connection.js"
import { formatAgo, formatDateTime, formatDuration, formatPhone, stateLabel } from "../shared/format.js"
import { connectionBanner } from "../shared/connection-banner.js"
import { type AgentConsoleState, allowedActions } from "./agent-state.js"
import { phoneLine } from "./phone-line.js"
import { shortcuts } from "./shortcuts.js"

export interface AgentPageModel {
  readonly state: AgentConsoleState
  readonly connection: ConnectionStatus
  readonly now: number
  readonly announcement: string
  readonly busy: boolean
  readonly showHelp: boolean
  readonly dialQuery: string
  readonly dialResults: ReadonlyArray<LeadView>
  readonly selectedDisposition: string | null
  /** How long the notification on screen had left when it arrived: the full length of its countdown bar. */
  readonly offerWindowMs: number
}

export interface AgentPageActions {
  readonly setState: (state: "Online" | "OnBreak" | "Offline") => void
  readonly accept: () => void
  readonly ignore: () => void
  readonly hangup: () => void
  readonly submitOutcome: (dispositionId: string, notes: string, doNotCall: boolean) => void
  readonly selectDisposition: (dispositionId: string) => void
  readonly searchLeads: (query: string) => void
  readonly dial: (leadId: string) => void
  readonly toggleHelp: () => void
  readonly signOut: () => void
}

const stateButtons = [
  { state: "Online", label: "Online", key: "O" },
  { state: "OnBreak", label: "Break", key: "B" },
  { state: "Offline", label: "Offline", key: "F" },
] as const

const historyKind = (kind: string): string => kind.replace(/[-_]/g, " ")

/** The parts of an event's detail a person reads: the outcome chosen, the notes, the agent. */
const eventDetail = (detail: Readonly<Record<string, unknown>>) => {
  const text = (key: string) => (typeof detail[key] === "string" && detail[key] !== "" ? String(detail[key]) : null)
  const parts = [
    text("disposition"),
    text("toStatus") === null ? null : `→ ${text("toStatus")}`,
    detail["doNotCall"] === true ? "· do not call" : null,
    detail["channel"] === "sms" ? "by SMS" : detail["channel"] === "verbal" ? "on a call" : null,
  ].filter((p): p is string => p !== null)
  const notes = text("notes")
  return html`${parts.length === 0 ? nothing : html`<strong>${parts.join(" ")}</strong>`}
  ${notes === null ? nothing : html`<q>${notes}</q>`}`
}

const leadDetails = (lead: LeadCard, now: number): TemplateResult => html`
  <dl class="facts">
    <div>
      <dt>Name</dt>
      <dd data-testid="lead-name">${lead.name}</dd>
    </div>
    <div>
      <dt>Phone</dt>
      <dd data-testid="lead-phone"><a href="tel:${lead.phone}">${formatPhone(lead.phone)}</a></dd>
    </div>
    <div>
      <dt>Type</dt>
      <dd>${lead.leadType}</dd>
    </div>
    <div>
      <dt>Status</dt>
      <dd>${lead.status}</dd>
    </div>
    <div>
      <dt>Attempts</dt>
      <dd>${lead.attempts}</dd>
    </div>
    <div>
      <dt>Last contact</dt>
      <dd>
        ${
          lead.lastContactAt === null
            ? "never"
            : html`<time datetime=${new Date(lead.lastContactAt).toISOString()}
                >${formatAgo(lead.lastContactAt, now)}</time
              >`
        }
      </dd>
    </div>
    ${
      lead.email === null
        ? nothing
        : html`<div>
            <dt>Email</dt>
            <dd>${lead.email}</dd>
          </div>`
    }
  </dl>
  <h3>Notes</h3>
  <p class="notes">${lead.notes === "" ? html`<span class="muted">No notes yet.</span>` : lead.notes}</p>
  <h3>History</h3>
  ${
    lead.history.length === 0
      ? html`<p class="muted">No history yet.</p>`
      : html`<ol class="history">
          ${[...lead.history]
            .reverse()
            .slice(0, 8)
            .map(
              (event) =>
                html`<li>
                  <time>${formatDateTime(event.at)}</time> <span>${historyKind(event.kind)}</span>
                  ${eventDetail(event.detail)}
                </li>`,
            )}
        </ol>`
  }
`

const notificationCard = (offer: PendingOffer, model: AgentPageModel, actions: AgentPageActions) => {
  const total = Math.max(1, model.offerWindowMs)
  const left = Math.max(0, offer.expiresAt - model.now)
  const fraction = Math.min(1, left / total)
  return html`
    <section class="card notification" aria-labelledby="notification-title" data-testid="notification">
      <header class="card-head">
        <h2 id="notification-title">${offer.kind === "inbound" ? "Inbound call ringing" : "New lead to call"}</h2>
        <span class="countdown" role="timer" aria-label="time left to answer" data-testid="countdown"
          >${formatDuration(left + 999)}</span
        >
      </header>
      <div class="bar" aria-hidden="true"><span style="width: ${(fraction * 100).toFixed(1)}%"></span></div>
      ${leadDetails(offer.lead, model.now)}
      <div class="actions">
        <button class="primary" id="accept" ?disabled=${model.busy} @click=${actions.accept}>
          Accept <kbd>A</kbd>
        </button>
        <button id="ignore" ?disabled=${model.busy} @click=${actions.ignore}>Ignore <kbd>I</kbd></button>
      </div>
    </section>
  `
}

const callCard = (model: AgentPageModel, actions: AgentPageActions) => {
  const { agent, workingLead } = model.state
  if (agent === null || (agent.call === null && agent.workingLeadId === null)) return nothing
  const call = agent.call
  const live = call !== null && call.phase !== "Ended"
  return html`
    <section class="card call" aria-labelledby="call-title" data-testid="call">
      <header class="card-head">
        <h2 id="call-title">${live ? "On a call" : "Wrap-up"}</h2>
        ${
          live
            ? html`<span class="pill phase" data-testid="call-phase">${call.phase}</span>
                <span class="countdown" role="timer" aria-label="call time"
                  >${formatDuration(model.now - agent.stateSince)}</span
                >`
            : html`<span class="countdown" role="timer" aria-label="time in wrap-up"
                >${formatDuration(model.now - agent.stateSince)}</span
              >`
        }
      </header>
      ${
        workingLead !== null
          ? leadDetails(workingLead, model.now)
          : html`<p>${call?.to ?? ""} <span class="muted">(lead ${agent.workingLeadId ?? "unknown"})</span></p>`
      }
      ${
        live
          ? html`<div class="actions">
              <button class="danger" id="hangup" ?disabled=${model.busy} @click=${actions.hangup}>
                Hang up <kbd>H</kbd>
              </button>
            </div>`
          : nothing
      }
    </section>
  `
}

const outcomeForm = (model: AgentPageModel, actions: AgentPageActions) => {
  if (!allowedActions(model.state).outcome) return nothing
  const selected = model.selectedDisposition
  return html`
    <form
      class="card outcome"
      aria-labelledby="outcome-title"
      data-testid="outcome-form"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault()
        const form = event.currentTarget as HTMLFormElement
        const notes = form.elements.namedItem("notes")
        const doNotCall = form.elements.namedItem("doNotCall")
        if (selected !== null) {
          actions.submitOutcome(
            selected,
            notes instanceof HTMLTextAreaElement ? notes.value : "",
            doNotCall instanceof HTMLInputElement && doNotCall.checked,
          )
        }
      }}
    >
      <h2 id="outcome-title">Outcome</h2>
      <fieldset>
        <legend>What came of the call?</legend>
        <div class="choices">
          ${model.state.dispositions.map(
            (d) => html`
              <label class="choice">
                <input
                  type="radio"
                  name="disposition"
                  value=${d.id}
                  .checked=${selected === d.id}
                  @change=${() => actions.selectDisposition(d.id)}
                />
                <span>${d.label}</span>
                <small class="muted">${d.kind === "status" ? "changes the status" : "back to the cadence"}</small>
              </label>
            `,
          )}
        </div>
      </fieldset>
      <label>Notes <textarea name="notes" rows="3" placeholder="What was said, what to do next"></textarea></label>
      <label class="opt-out">
        <input type="checkbox" name="doNotCall" />
        <span>Asked not to be called again</span>
        <small class="muted">the number goes on the do-not-call list and the lead is not called again</small>
      </label>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${model.busy || selected === null}>Save outcome</button>
      </div>
    </form>
  `
}

const manualDial = (model: AgentPageModel, actions: AgentPageActions) => {
  const allowed = allowedActions(model.state).dial
  const query = model.dialQuery.trim()
  return html`
    <section class="card" aria-labelledby="dial-title">
      <h2 id="dial-title">Manual dial</h2>
      <label
        >Lead to call
        <input
          type="search"
          name="dial-search"
          placeholder="Lead id, name or phone"
          .value=${model.dialQuery}
          @input=${(event: InputEvent) => actions.searchLeads((event.currentTarget as HTMLInputElement).value)}
        />
      </label>
      ${allowed ? nothing : html`<p class="muted small">Dialing is possible when you are Online and free.</p>`}
      <ul class="dial-results">
        ${model.dialResults.map(
          (lead) => html`
            <li>
              <span
                ><strong>${lead.name}</strong>
                <span class="muted">${formatPhone(lead.phone)} · ${lead.status}</span></span
              >
              <button ?disabled=${!allowed || model.busy} @click=${() => actions.dial(lead.id)}>Dial</button>
            </li>
          `,
        )}
      </ul>
      ${
        query === "" || model.dialResults.some((l) => l.id === query)
          ? nothing
          : html`<div class="actions">
              <button data-testid="dial-by-id" ?disabled=${!allowed || model.busy} @click=${() => actions.dial(query)}>
                Dial lead ${query}
              </button>
            </div>`
      }
    </section>
  `
}

const phoneLineStatus = (model: AgentPageModel) => {
  const line = model.state.agent === null ? null : phoneLine(model.state.agent, model.now)
  return line === null
    ? nothing
    : html`<p class="phone-line phone-line-${line.tone}" role="status" data-testid="phone-line">${line.text}</p>`
}

const stateControl = (model: AgentPageModel, actions: AgentPageActions) => {
  const agent = model.state.agent
  const allowed = allowedActions(model.state).setState
  return html`
    <section class="card" aria-labelledby="state-title">
      <h2 id="state-title">My state</h2>
      <p class="state-line">
        <span class="state-badge state-${agent?.state ?? "unknown"}" data-testid="agent-state"
          >${agent === null ? "…" : stateLabel(agent.state)}</span
        >
        ${
          agent === null
            ? nothing
            : html`<span class="muted" aria-label="time in state"
                >for ${formatDuration(model.now - agent.stateSince)}</span
              >`
        }
        ${agent !== null && model.connection._tag !== "open" ? html`<span class="muted small">(last known)</span>` : nothing}
      </p>
      ${phoneLineStatus(model)}
      <div class="segmented-buttons" role="group" aria-label="Change my state">
        ${stateButtons.map(
          (b) => html`
            <button
              aria-pressed=${agent?.state === b.state ? "true" : "false"}
              ?disabled=${!allowed || model.busy || model.connection._tag !== "open"}
              @click=${() => actions.setState(b.state)}
            >
              ${b.label} <kbd>${b.key}</kbd>
            </button>
          `,
        )}
      </div>
    </section>
  `
}

const help = (model: AgentPageModel) =>
  model.showHelp
    ? html`<section class="card" aria-labelledby="help-title">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <dl class="shortcuts">
          ${shortcuts.map(
            (s) =>
              html`<div>
                <dt><kbd>${s.key}</kbd></dt>
                <dd>${s.label}</dd>
              </div>`,
          )}
        </dl>
        <p class="muted small">Tab moves between controls; Enter or Space presses the focused button.</p>
      </section>`
    : nothing

export const agentPage = (model: AgentPageModel, actions: AgentPageActions): TemplateResult => {
  const { state } = model
  return html`
    <header class="topbar">
      <span class="brand">Ringmaster <span class="muted">Agent console</span></span>
      <span class="who">${state.me?.name ?? ""}</span>
      <span class=${classMap({ link: true, [`link-${model.connection._tag}`]: true })} data-testid="connection"
        >${model.connection._tag === "open" ? "Connected" : "Reconnecting"}</span
      >
      <button class="quiet" @click=${actions.toggleHelp} aria-expanded=${model.showHelp ? "true" : "false"}>
        Shortcuts <kbd>?</kbd>
      </button>
      <button class="quiet" @click=${actions.signOut}>Sign out</button>
    </header>
    ${connectionBanner(model.connection, model.now)}
    <div class="sr-only" aria-live="assertive" aria-atomic="true" data-testid="announcer">${model.announcement}</div>
    <main class="agent-grid">
      <div class="column">${stateControl(model, actions)} ${manualDial(model, actions)} ${help(model)}</div>
      <div class="column wide">
        ${state.offer === null ? nothing : notificationCard(state.offer, model, actions)} ${callCard(model, actions)}
        ${outcomeForm(model, actions)}
        ${
          state.offer === null && state.agent?.call === null && state.agent?.workingLeadId === null
            ? html`<section class="card idle">
                <h2>Waiting for work</h2>
                <p class="muted">
                  ${
                    state.agent?.state === "Online"
                      ? "A notification will show here, with a sound, as soon as a lead is yours to call."
                      : "Go Online to receive leads."
                  }
                </p>
              </section>`
            : nothing
        }
        <ul class="notices" aria-label="Messages">
          ${state.notices.map(
            (n) => html`<li class="notice notice-${n.tone}"><time>${formatDateTime(n.at)}</time> ${n.text}</li>`,
          )}
        </ul>
      </div>
    </main>
  `
}
