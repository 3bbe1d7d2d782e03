import { Draws } from "./call-model.js"
import type { DialFate } from "./call-model.js"
import { EventQueue } from "./event-queue.js"
import { emptyOutcomes } from "./metrics.js"
import type { DayResult, DialOutcome } from "./metrics.js"
import { Observed } from "./observed.js"
import type { SimOptions } from "./options.js"
import { makeStrategy } from "./strategies.js"
import type { CampaignView, Strategy, StrategyName } from "./strategies.js"

/** A call must get an agent within this long after the person's hello, or it is abandoned. */
export const abandonAfterMs = 2_000
const abandonmentLimit = 0.03

interface Lead {
  readonly enteredAt: number
  /** New leads count for speed-to-lead; the backlog does not. */
  readonly fresh: boolean
  attempts: number
}

interface Agent {
  state: "free" | "talking" | "wrap"
  since: number
  wrapEndsAt: number
}

interface Dial {
  readonly lead: Lead
  readonly placedAt: number
  readonly fate: DialFate
  phase: "ringing" | "waiting" | "connected" | "ended"
  agent: Agent | undefined
}

type Event =
  | { readonly kind: "tick" }
  | { readonly kind: "arrival" }
  | { readonly kind: "fate"; readonly dial: Dial }
  | { readonly kind: "deadline"; readonly dial: Dial }
  | { readonly kind: "hangup"; readonly dial: Dial }
  | { readonly kind: "wrapEnd"; readonly agent: Agent }
  | { readonly kind: "retry"; readonly lead: Lead }

/** A first-in first-out list that drops what it has handed out. */
class Fifo<A> {
  private items: Array<A> = []
  private head = 0
  get size(): number {
    return this.items.length - this.head
  }
  push(a: A): void {
    this.items.push(a)
  }
  shift(): A | undefined {
    if (this.head >= this.items.length) return undefined
    const a = this.items[this.head++] as A
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return a
  }
}

/**
 * One contact-center day on a simulated clock: agents logged in for the whole shift, a lead pool (new leads first,
 * then leads ready for another attempt), dials whose far end follows the simulated carrier's model, and the
 * strategy deciding every tick how many dials to place. Calls still up at the end of the shift play out, but only
 * the shift counts towards occupancy.
 */
class Day {
  private readonly queue = new EventQueue<Event>()
  private readonly draws: Draws
  private readonly observed = new Observed()
  private readonly agents: Array<Agent>
  private readonly freeAgents = new Fifo<Agent>()
  private readonly waiting = new Fifo<Dial>()
  private readonly freshLeads = new Fifo<Lead>()
  private readonly readyLeads = new Fifo<Lead>()
  private readonly outcomes = emptyOutcomes()
  private readonly speedToLeadMs: Array<number> = []
  /** Dials placed and not resolved yet. */
  private readonly ringing = new Set<Dial>()
  private callsWaiting = 0
  private callsConnected = 0
  private dials = 0
  private ended = 0
  private newLeads = 0
  private starvedDecisions = 0
  private agentBusyMs = 0
  private now = 0

  constructor(
    private readonly options: SimOptions,
    private readonly strategy: Strategy,
  ) {
    this.draws = new Draws(options)
    this.agents = Array.from({ length: options.agents }, () => ({ state: "free" as const, since: 0, wrapEndsAt: 0 }))
    for (const agent of this.agents) this.freeAgents.push(agent)
    for (let i = 0; i < options.backlog; i++) this.readyLeads.push({ enteredAt: 0, fresh: false, attempts: 0 })
  }

  run(): Omit<DayResult, "wallMs"> {
    this.queue.push(0, { kind: "tick" })
    this.scheduleArrival()
    for (let next = this.queue.pop(); next !== undefined; next = this.queue.pop()) {
      this.now = next.time
      this.handle(next.event)
    }
    if (this.ended !== this.dials) throw new Error(`${this.dials} dials placed but ${this.ended} ended`)
    return {
      strategy: this.strategy.name,
      agents: this.options.agents,
      shiftMs: this.options.shiftMs,
      dials: this.dials,
      outcomes: { ...this.outcomes },
      agentBusyMs: this.agentBusyMs,
      speedToLeadMs: [...this.speedToLeadMs].sort((a, b) => a - b),
      newLeads: this.newLeads,
      starvedDecisions: this.starvedDecisions,
    }
  }

  private get inShift(): boolean {
    return this.now < this.options.shiftMs
  }

  private handle(event: Event): void {
    switch (event.kind) {
      case "tick":
        return this.tick()
      case "arrival":
        this.newLeads++
        this.freshLeads.push({ enteredAt: this.now, fresh: true, attempts: 0 })
        return this.scheduleArrival()
      case "fate":
        return this.fateArrives(event.dial)
      case "deadline":
        if (event.dial.phase === "waiting") {
          this.callsWaiting--
          this.observed.dropped(this.now)
          this.end(
            event.dial,
            event.dial.fate.kind === "needsAgent" && event.dial.fate.person ? "abandoned" : "machineDropped",
          )
        }
        return
      case "hangup":
        return this.hangup(event.dial)
      case "wrapEnd":
        return this.agentFree(event.agent)
      case "retry":
        return this.readyLeads.push(event.lead)
    }
  }

  private scheduleArrival(): void {
    const at = this.now + this.draws.nextArrivalGapMs()
    if (at < this.options.shiftMs) this.queue.push(at, { kind: "arrival" })
  }

  private tick(): void {
    if (!this.inShift) return
    const wanted = this.strategy.dials(this.view())
    for (let i = 0; i < wanted; i++) {
      const lead = this.freshLeads.shift() ?? this.readyLeads.shift()
      if (lead === undefined) {
        this.starvedDecisions++
        break
      }
      this.place(lead)
    }
    const next = this.now + this.options.tickMs
    if (next < this.options.shiftMs) this.queue.push(next, { kind: "tick" })
  }

  view(): CampaignView {
    const o = this.observed
    const meanWrapMs = o.wrapMs.value
    const wrapUpRemainingMs: Array<number> = []
    for (const agent of this.agents) {
      if (agent.state === "wrap") wrapUpRemainingMs.push(Math.max(0, meanWrapMs - (this.now - agent.since)))
    }
    return {
      now: this.now,
      shiftEndsAt: this.options.shiftMs,
      agentsLoggedIn: this.agents.length,
      freeAgents: this.freeAgents.size,
      wrapUpRemainingMs,
      callsRinging: this.ringing.size,
      ringingLiveChances: Array.from(this.ringing, (d) => o.liveChanceAtAge(this.now - d.placedAt)),
      callsWaiting: this.callsWaiting,
      callsConnected: this.callsConnected,
      maxLines: this.options.maxLines,
      liveAnswerRate: o.liveAnswerRate.value,
      meanAnswerDelayMs: o.answerDelayMs.value,
      meanTalkMs: o.talkMs.value,
      meanWrapMs,
      abandonmentRate: o.abandonmentRate,
      abandonmentLimit,
      liveAnswered: o.answersToday,
      abandoned: o.dropsToday,
      callsLastMinute: o.dialsLastMinute.count(this.now),
      dropsLastMinute: o.dropsLastMinute.count(this.now),
      callsToday: o.dialsToday,
      answersToday: o.answersToday,
      dropsToday: o.dropsToday,
    }
  }

  private place(lead: Lead): void {
    lead.attempts++
    if (lead.fresh && lead.attempts === 1) this.speedToLeadMs.push(this.now - lead.enteredAt)
    const dial: Dial = { lead, placedAt: this.now, fate: this.draws.nextFate(), phase: "ringing", agent: undefined }
    this.dials++
    this.ringing.add(dial)
    this.observed.dialed(this.now)
    this.queue.push(this.now + dial.fate.afterMs, { kind: "fate", dial })
  }

  private fateArrives(dial: Dial): void {
    this.ringing.delete(dial)
    const fate = dial.fate
    this.observed.resolved(fate.kind === "needsAgent", this.now - dial.placedAt)
    if (fate.kind === "ends") return this.end(dial, fate.outcome)
    const agent = this.freeAgents.shift()
    if (agent !== undefined) return this.connect(dial, agent)
    dial.phase = "waiting"
    this.callsWaiting++
    this.waiting.push(dial)
    this.queue.push(this.now + abandonAfterMs, { kind: "deadline", dial })
  }

  private connect(dial: Dial, agent: Agent): void {
    if (dial.fate.kind !== "needsAgent") throw new Error("only a call that needs an agent is connected")
    if (dial.phase === "waiting") this.callsWaiting--
    dial.phase = "connected"
    dial.agent = agent
    this.callsConnected++
    agent.state = "talking"
    agent.since = this.now
    this.queue.push(this.now + dial.fate.handleMs, { kind: "hangup", dial })
  }

  private hangup(dial: Dial): void {
    const agent = dial.agent
    if (agent === undefined || dial.fate.kind !== "needsAgent") throw new Error("hangup of a call with no agent")
    this.callsConnected--
    this.observed.talkMs.add(this.now - agent.since)
    this.end(dial, dial.fate.person ? "connected" : "machineToAgent")
    this.countBusy(agent)
    agent.state = "wrap"
    agent.since = this.now
    const wrapMs = this.draws.nextWrapMs()
    agent.wrapEndsAt = this.now + wrapMs
    this.queue.push(agent.wrapEndsAt, { kind: "wrapEnd", agent })
  }

  private agentFree(agent: Agent): void {
    this.observed.wrapMs.add(this.now - agent.since)
    this.countBusy(agent)
    agent.state = "free"
    agent.since = this.now
    for (let dial = this.waiting.shift(); dial !== undefined; dial = this.waiting.shift()) {
      if (dial.phase === "waiting") return this.connect(dial, agent)
    }
    this.freeAgents.push(agent)
  }

  /** Adds the agent's current talk or wrap-up, within the shift, to the busy time. */
  private countBusy(agent: Agent): void {
    const end = this.options.shiftMs
    this.agentBusyMs += Math.max(0, Math.min(this.now, end) - Math.min(agent.since, end))
  }

  private end(dial: Dial, outcome: DialOutcome): void {
    if (dial.phase === "ended") throw new Error(`a dial ended twice (${outcome})`)
    dial.phase = "ended"
    this.ended++
    this.outcomes[outcome]++
    if (outcome === "connected") return
    const retryAt = this.now + this.options.retryMs
    if (dial.lead.attempts < this.options.maxAttempts && retryAt < this.options.shiftMs) {
      this.queue.push(retryAt, { kind: "retry", lead: dial.lead })
    }
  }
}

/** Simulates one day of `strategy` under `options`; the same options give the same result. */
export const simulateDay = (options: SimOptions, strategy: StrategyName | Strategy): DayResult => {
  const started = performance.now()
  const result = new Day(options, typeof strategy === "string" ? makeStrategy(strategy) : strategy).run()
  return { ...result, wallMs: performance.now() - started }
}
