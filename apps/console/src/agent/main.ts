import { ClientMessage, LeadDetail, LeadView, type ServerMessage } from "@ringmaster/protocol"
import { Schema } from "effect"
import { render } from "lit-html"
import { checkToken, makeApi, type Api } from "../shared/api.js"
import { beep, unlockAudio } from "../shared/beep.js"
import { formatPhone } from "../shared/format.js"
import { ConsoleConnection, type ConnectionStatus } from "../shared/connection.js"
import { signInScreen } from "../shared/sign-in.js"
import { loadSession, logout, type Session } from "../shared/session.js"
import { addNotice, allowedActions, applyServerMessage, initialAgentState, newOffer } from "./agent-state.js"
import { agentPage, type AgentPageModel } from "./agent-view.js"
import { shortcutFor, takesText } from "./shortcuts.js"
import "../shared/styles.css"

const root = document.getElementById("app") as HTMLElement

const signIn = signInScreen({
  root,
  title: "Agent console",
  signedIn: (session) => start(session),
  beforeAttempt: unlockAudio,
})

/** A command built from plain strings (ids from the page), checked and branded by the protocol's schema. */
const command = Schema.decodeUnknownSync(ClientMessage)

const leadCardOf = (lead: typeof LeadDetail.Type) => ({
  id: lead.id,
  name: lead.name,
  phone: lead.phone,
  email: lead.email,
  leadType: lead.leadType,
  status: lead.status,
  attempts: lead.attempts,
  lastContactAt: lead.lastContactAt,
  notes: lead.notes,
  history: lead.history,
})

const start = (session: Session) => {
  const api: Api = makeApi(session.token)
  let model: AgentPageModel = {
    state: initialAgentState,
    connection: { _tag: "connecting", attempt: 0 },
    now: Date.now(),
    announcement: "",
    busy: false,
    showHelp: false,
    dialQuery: "",
    dialResults: [],
    selectedDisposition: null,
    offerWindowMs: 30_000,
  }
  let loadingLead: string | null = null

  const update = (next: Partial<AgentPageModel>) => {
    model = { ...model, ...next }
    draw()
  }

  const notify = (text: string) => {
    // the same words twice would not be announced again: alternate a trailing space
    update({ announcement: model.announcement === text ? `${text} ` : text })
  }

  const run = async (message: Parameters<ConsoleConnection["request"]>[0], done?: string) => {
    update({ busy: true })
    const reply = await connection.request(message)
    update({ busy: false })
    if (reply._tag === "Failure") {
      update({ state: addNotice(model.state, "error", reply.message, Date.now()) })
      notify(reply.message)
      return false
    }
    if (done !== undefined) notify(done)
    return true
  }

  /** After a reload mid-call the accepted notification is gone: fetch the lead to show it again. */
  const ensureWorkingLead = () => {
    const leadId = model.state.agent?.workingLeadId ?? null
    if (leadId === null || model.state.workingLead?.id === leadId || loadingLead === leadId) return
    loadingLead = leadId
    api.get(`/leads/${encodeURIComponent(leadId)}`, LeadDetail).then(
      (lead) => {
        loadingLead = null
        if (model.state.agent?.workingLeadId === lead.id) {
          update({ state: { ...model.state, workingLead: leadCardOf(lead) } })
        }
      },
      () => {
        loadingLead = null
      },
    )
  }

  const onMessage = (message: ServerMessage) => {
    const before = model.state
    const now = Date.now()
    const state = applyServerMessage(before, message, now)
    const offer = newOffer(before, state)
    update({
      state,
      now,
      ...(state.agent?.workingLeadId !== before.agent?.workingLeadId ? { selectedDisposition: null } : {}),
      ...(offer !== null ? { offerWindowMs: Math.max(1000, offer.expiresAt - now) } : {}),
    })
    if (message._tag === "Hello" && message.role !== "agent") {
      update({
        state: addNotice(model.state, "warning", "This sign-in is not an agent's. Supervisors use /supervisor/.", now),
      })
    }
    if (offer !== null) {
      beep()
      notify(
        `${offer.kind === "inbound" ? "Inbound call" : "New lead"}: ${offer.lead.name}, ${formatPhone(offer.lead.phone)}. ` +
          "Press A to accept or I to ignore.",
      )
      // move the keyboard to the card, unless the agent is typing somewhere
      if (!takesText(document.activeElement)) document.getElementById("accept")?.focus()
    }
    if (message._tag === "NotificationWithdrawn" && state !== before) notify(state.notices[0]?.text ?? "")
    if (message._tag === "AgentSnapshot" && before.agent !== null && before.agent.state !== state.agent?.state) {
      notify(`You are now ${state.agent?.state ?? ""}.`)
    }
    ensureWorkingLead()
  }

  /** Leads of the agent's campaign matching the text: the server's search, filtered to the campaign. */
  let searchTimer: ReturnType<typeof setTimeout> | null = null
  let searchSeq = 0
  const searchLeads = (query: string) => {
    update({ dialQuery: query })
    if (searchTimer !== null) clearTimeout(searchTimer)
    const q = query.trim()
    if (q.length < 2) return update({ dialResults: [] })
    const seq = ++searchSeq
    searchTimer = setTimeout(() => {
      const campaignId = model.state.agent?.campaignId ?? null
      api.get(`/leads/search?q=${encodeURIComponent(q)}&limit=20`, Schema.Array(LeadView)).then(
        (leads) => {
          if (seq !== searchSeq) return
          update({ dialResults: leads.filter((l) => campaignId === null || l.campaignId === campaignId).slice(0, 8) })
        },
        () => {
          // agents may not search every lead (403): they dial by the lead's id, which the Dial button offers
          if (seq === searchSeq) update({ dialResults: [] })
        },
      )
    }, 250)
  }

  const onStatus = (status: ConnectionStatus) => {
    update({ connection: status })
    if (status._tag === "open" && model.announcement.startsWith("Connection lost")) notify("Connected again.")
    if (status._tag === "retrying" && status.attempt === 1) notify("Connection lost. Reconnecting.")
    if (status._tag === "signed-out") {
      void logout(session).then(() => {
        connection.close()
        clearInterval(ticker)
        document.removeEventListener("keydown", onKey)
        signIn.show(status.reason)
      })
    }
  }

  const actions = {
    setState: (state: "Online" | "OnBreak" | "Offline") => void run({ _tag: "SetState", state }),
    accept: () => {
      const offer = model.state.offer
      if (offer !== null) void run({ _tag: "Accept", offerId: offer.offerId }, `Accepted. Calling ${offer.lead.name}.`)
    },
    ignore: () => {
      const offer = model.state.offer
      if (offer !== null) void run({ _tag: "Ignore", offerId: offer.offerId }, "Ignored.")
    },
    hangup: () => void run({ _tag: "Hangup" }, "Call ended. Choose an outcome."),
    submitOutcome: (dispositionId: string, notes: string, doNotCall: boolean) =>
      void run(
        command({
          _tag: "SubmitOutcome",
          dispositionId,
          ...(notes.trim() === "" ? {} : { notes: notes.trim() }),
          ...(doNotCall ? { doNotCall: true } : {}),
        }),
        doNotCall ? "Outcome saved. The number is on the do-not-call list." : "Outcome saved.",
      ),
    selectDisposition: (dispositionId: string) => update({ selectedDisposition: dispositionId }),
    searchLeads,
    dial: (leadId: string) => {
      try {
        void run(command({ _tag: "Dial", leadId }), "Dialing.")
      } catch {
        update({ state: addNotice(model.state, "error", `"${leadId}" is not a lead id`, Date.now()) })
      }
    },
    toggleHelp: () => update({ showHelp: !model.showHelp }),
    signOut: () => {
      connection.close()
      clearInterval(ticker)
      document.removeEventListener("keydown", onKey)
      void logout(session).then(() => {
        signIn.show(null)
      })
    },
  }

  const onKey = (event: KeyboardEvent) => {
    const action = shortcutFor({
      key: event.key,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      typing: takesText(document.activeElement),
    })
    if (action === null) return
    const allowed = allowedActions(model.state)
    const go = (() => {
      switch (action) {
        case "accept":
          return allowed.accept ? actions.accept : null
        case "ignore":
          return allowed.ignore ? actions.ignore : null
        case "hangup":
          return allowed.hangup ? actions.hangup : null
        case "online":
          return allowed.setState ? () => actions.setState("Online") : null
        case "break":
          return allowed.setState ? () => actions.setState("OnBreak") : null
        case "offline":
          return allowed.setState ? () => actions.setState("Offline") : null
        case "outcome":
          return allowed.outcome
            ? () => document.querySelector<HTMLInputElement>("[data-testid=outcome-form] input")?.focus()
            : null
        case "help":
          return actions.toggleHelp
      }
    })()
    if (go === null || model.busy) return
    event.preventDefault()
    unlockAudio()
    go()
  }
  document.addEventListener("keydown", onKey)

  const draw = () => render(agentPage(model, actions), root)
  const ticker = setInterval(() => update({ now: Date.now() }), 1000)
  draw()
  // last: it reports its status at once, and drawing needs everything above
  const connection = new ConsoleConnection({
    token: session.token,
    onMessage,
    onStatus,
    checkToken: () => checkToken(session.token),
  })
}

const existing = loadSession()
if (existing === null) signIn.show()
else start(existing)
