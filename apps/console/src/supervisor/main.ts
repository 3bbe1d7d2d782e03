import {
  AgentView,
  AlertView,
  CadenceView,
  CallbackTaskView,
  CampaignLiveStats,
  CampaignView,
  DncEntryView,
  LeadStatusView,
  LeadTypeView,
  QueueItemView,
  type ServerMessage,
  StatsSample,
} from "@ringmaster/protocol"
import { Schema } from "effect"
import { render } from "lit-html"
import { ApiError, checkToken, makeApi, saveResponse } from "../shared/api.js"
import { ConsoleConnection, type ConnectionStatus } from "../shared/connection.js"
import { formatPhone, stateLabel } from "../shared/format.js"
import { signInScreen } from "../shared/sign-in.js"
import { loadSession, logout, type Session } from "../shared/session.js"
import { addAlerts, applyAgentChange, applyAgentList, initialSupervisorState } from "./supervisor-state.js"
import { parseDelays } from "./cadence-delays.js"
import { type CadenceForm, type SupervisorModel, supervisorPage } from "./supervisor-view.js"
import "../shared/styles.css"

const root = document.getElementById("app") as HTMLElement
const signIn = signInScreen({
  root,
  title: "Supervisor",
  signedIn: (session) => start(session),
})

const startOfToday = () => {
  const d = new Date()
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10)

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

const start = (session: Session) => {
  const api = makeApi(session.token)
  let model: SupervisorModel = {
    me: null,
    live: initialSupervisorState,
    connection: { _tag: "connecting", attempt: 0 },
    now: Date.now(),
    since: startOfToday(),
    campaigns: [],
    campaignId: null,
    stats: null,
    series: [],
    queue: [],
    callbacks: [],
    dnc: [],
    leadTypes: [],
    cadences: [],
    statuses: [],
    reportFrom: utcDay(Date.now()),
    reportTo: utcDay(Date.now()),
    error: null,
    announcement: "",
  }
  const update = (next: Partial<SupervisorModel>) => {
    model = { ...model, ...next }
    render(supervisorPage(model, actions), root)
  }
  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return signOut("the session expired; sign in again")
    update({ error: messageOf(error) })
  }

  const loadAgents = () =>
    api.get("/agents", Schema.Array(AgentView)).then((list) => update({ live: applyAgentList(model.live, list) }), fail)

  const loadAlerts = () =>
    api
      .get("/alerts?limit=50", Schema.Array(AlertView))
      .then((alerts) => update({ live: addAlerts(model.live, alerts) }), fail)

  const loadCampaigns = async () => {
    try {
      const campaigns = await api.get("/campaigns", Schema.Array(CampaignView))
      const campaignId =
        model.campaignId !== null && campaigns.some((c) => c.id === model.campaignId)
          ? model.campaignId
          : (campaigns[0]?.id ?? null)
      update({ campaigns, campaignId })
    } catch (error) {
      fail(error)
    }
  }

  const loadFigures = async () => {
    const id = model.campaignId
    if (id === null) return
    const c = encodeURIComponent(id)
    const since = model.since
    const [stats, queue] = await Promise.allSettled([
      api.get(`/campaigns/${c}/stats?since=${since}`, CampaignLiveStats),
      api.get(`/campaigns/${c}/queue?limit=10`, Schema.Array(QueueItemView)),
    ])
    if (model.campaignId !== id) return
    update({
      ...(stats.status === "fulfilled" ? { stats: stats.value } : {}),
      ...(queue.status === "fulfilled" ? { queue: queue.value } : {}),
      error:
        stats.status === "rejected"
          ? messageOf(stats.reason)
          : queue.status === "rejected"
            ? messageOf(queue.reason)
            : null,
    })
  }

  const loadSeries = async () => {
    const id = model.campaignId
    if (id === null) return
    try {
      const series = await api.get(
        `/campaigns/${encodeURIComponent(id)}/stats/series?since=${model.since}`,
        Schema.Array(StatsSample),
      )
      if (model.campaignId === id) update({ series })
    } catch (error) {
      fail(error)
    }
  }

  const loadCallbacks = () =>
    api.get("/callbacks", Schema.Array(CallbackTaskView)).then((callbacks) => update({ callbacks }), fail)

  const loadDnc = () => api.get("/dnc?limit=10", Schema.Array(DncEntryView)).then((dnc) => update({ dnc }), fail)

  const loadLeadTypes = () =>
    api.get("/lead-types", Schema.Array(LeadTypeView)).then((leadTypes) => update({ leadTypes }), fail)

  const loadCadences = () =>
    Promise.all([
      api.get("/cadences", Schema.Array(CadenceView)),
      api.get("/statuses", Schema.Array(LeadStatusView)),
    ]).then(([cadences, statuses]) => update({ cadences, statuses }), fail)

  /** A whole number of at least 1 from a form field, or a message naming the field and what it holds. */
  const positiveInteger = (field: string, text: string): number | string => {
    const value = Number(text)
    return text.trim() !== "" && Number.isInteger(value) && value >= 1
      ? value
      : `${field}: "${text}" is not a whole number of at least 1`
  }

  const saveCadence = (statusId: string, form: CadenceForm) => {
    const delays = parseDelays(form.delays)
    const priority = positiveInteger("priority", form.priority)
    const maxAttempts = positiveInteger("maxAttempts", form.maxAttempts)
    if (delays._tag === "Invalid") return update({ error: delays.message })
    if (typeof priority === "string") return update({ error: priority })
    if (typeof maxAttempts === "string") return update({ error: maxAttempts })
    const body = { delaysMs: delays.delaysMs, priority, maxAttempts, finalStatusId: form.finalStatusId }
    void api
      .send("PUT", `/cadences/${encodeURIComponent(statusId)}`, body, CadenceView)
      .then((saved) => {
        update({
          cadences: model.cadences.map((c) => (c.statusId === saved.statusId ? saved : c)),
          error: null,
          announcement: `Cadence of ${saved.status} saved.`,
        })
        return loadFigures()
      })
      .catch(fail)
  }

  const loadAll = async () => {
    await Promise.all([
      loadAgents(),
      loadAlerts(),
      loadCampaigns(),
      loadLeadTypes(),
      loadCadences(),
      loadCallbacks(),
      loadDnc(),
    ])
    await Promise.all([loadFigures(), loadSeries()])
  }

  const onMessage = (message: ServerMessage) => {
    switch (message._tag) {
      case "Hello":
        update({ me: { name: message.name, role: message.role } })
        // (re)connected: what happened while away comes over HTTP, what happens next over the socket
        void loadAll()
        return
      case "AgentStateChanged": {
        const before = model.live.agents.get(message.agent.agentId)
        update({ live: applyAgentChange(model.live, message.agent) })
        if (before !== undefined && before.state !== message.agent.state) {
          update({ announcement: `${message.agent.name} is now ${stateLabel(message.agent.state)}.` })
        }
        return
      }
      case "Alert":
        update({
          live: addAlerts(model.live, [
            { kind: message.kind, message: message.message, at: message.at, campaignId: null, userId: null },
          ]),
          announcement: `Alert: ${message.message}`,
        })
        return
      default:
        return
    }
  }

  const onStatus = (connection: ConnectionStatus) => {
    update({ connection })
    if (connection._tag === "signed-out") signOut(connection.reason)
  }

  const ticker = setInterval(() => update({ now: Date.now() }), 1000)
  const figures = setInterval(() => {
    void loadFigures()
    void loadCallbacks()
    void loadDnc()
  }, 5000)
  const series = setInterval(() => void loadSeries(), 60_000)

  const signOut = (reason: string | null) => {
    connection.close()
    clearInterval(ticker)
    clearInterval(figures)
    clearInterval(series)
    void logout(session).then(() => {
      signIn.show(reason)
    })
  }

  const actions = {
    selectCampaign: (campaignId: string) => {
      update({ campaignId, stats: null, queue: [], series: [] })
      void loadFigures()
      void loadSeries()
    },
    setPriorityZero: (leadTypeId: string, on: boolean) =>
      void api
        .send(
          "PUT",
          `/lead-types/${encodeURIComponent(leadTypeId)}/priority-zero`,
          { priorityZero: on },
          Schema.Unknown,
        )
        .then(() => Promise.all([loadLeadTypes(), loadFigures()]))
        .then(() => update({ announcement: `Priority 0 ${on ? "on" : "off"}.` }), fail),
    setDialRatio: (ratio: string) => {
      const id = model.campaignId
      if (id === null) return
      const dialRatio = ratio === "adaptive" ? "adaptive" : Number(ratio)
      void api.send("PATCH", `/campaigns/${encodeURIComponent(id)}`, { dialRatio }, CampaignView).then((campaign) => {
        update({
          campaigns: model.campaigns.map((c) => (c.id === campaign.id ? campaign : c)),
          announcement: `Dial ratio set to ${String(campaign.dialRatio)}.`,
        })
      }, fail)
    },
    setAutoDialer: (on: boolean) => {
      const id = model.campaignId
      if (id === null) return
      const mode = on ? "auto" : "manual"
      void api.send("PATCH", `/campaigns/${encodeURIComponent(id)}`, { mode }, CampaignView).then((campaign) => {
        update({
          campaigns: model.campaigns.map((c) => (c.id === campaign.id ? campaign : c)),
          announcement: `Auto-dialer ${campaign.mode === "auto" ? "on" : "off"}.`,
        })
      }, fail)
    },
    setPaused: (paused: boolean) => {
      const id = model.campaignId
      if (id === null) return
      const path = `/campaigns/${encodeURIComponent(id)}/${paused ? "pause" : "resume"}`
      void api.send("POST", path, {}, CampaignView).then((campaign) => {
        update({
          campaigns: model.campaigns.map((c) => (c.id === campaign.id ? campaign : c)),
          announcement: `Campaign ${campaign.status === "paused" ? "paused" : "resumed"}.`,
        })
      }, fail)
    },
    setAgentState: (agentId: string, state: string) =>
      void api.send("PUT", `/agents/${encodeURIComponent(agentId)}/state`, { state }, Schema.Unknown).catch(fail),
    saveCadence,
    callbackDone: (taskId: number) =>
      void api.send("POST", `/callbacks/${taskId}/done`, {}, CallbackTaskView).then((task) => {
        update({
          callbacks: model.callbacks.filter((t) => t.id !== task.id),
          announcement: `${task.leadName} marked called back.`,
        })
        void loadFigures()
      }, fail),
    addDnc: (phone: string, reason: string) =>
      void api
        .send("POST", "/dnc", { phone, ...(reason.trim() === "" ? {} : { reason: reason.trim() }) }, DncEntryView)
        .then((entry) => {
          update({ error: null, announcement: `${formatPhone(entry.phone)} is on the do-not-call list.` })
          document.querySelector<HTMLFormElement>("[data-testid=dnc-form]")?.reset()
          return Promise.all([loadDnc(), loadFigures()])
        })
        .catch(fail),
    removeDnc: (entryId: number, phone: string) => {
      if (!window.confirm(`Take ${formatPhone(phone)} off the do-not-call list? It may be dialled again.`)) return
      void api
        .send("DELETE", `/dnc/${entryId}`, undefined, DncEntryView)
        .then(() => {
          update({ announcement: `${formatPhone(phone)} is off the do-not-call list.` })
          return loadDnc()
        })
        .catch(fail)
    },
    setReportRange: (reportFrom: string, reportTo: string) => update({ reportFrom, reportTo }),
    download: (path: string, file: string) => {
      const params = new URLSearchParams()
      if (model.reportFrom !== "") params.set("from", model.reportFrom)
      if (model.reportTo !== "") params.set("to", model.reportTo)
      if (model.campaignId !== null) params.set("campaignId", model.campaignId)
      void api
        .fetchRaw(`${path}?${params.toString()}`)
        .then((response) => saveResponse(response, file))
        .catch(fail)
    },
    signOut: () => signOut(null),
  }

  update({})
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
