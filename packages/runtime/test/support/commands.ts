/**
 * The commands of the model-based test: what the doors of the system can do, each applied to the model and
 * to the real entities (agent commands go to the Agent entity as the WebSocket gateway sends them; lead
 * creation and configuration changes take the control plane's path).
 */
import { type Cadence, type DispositionId, LeadId, type LeadStatusId, type LeadTypeId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { changeCadence, changePriorityZero } from "@ringmaster/runtime"
import { Effect, FastCheck as fc } from "effect"
import { answerOf, type Harness } from "./harness.js"
import * as M from "./model.js"

/** What fast-check's commands see: the harness, whose model moves on as the run does. */
export interface Run {
  readonly harness: Harness
  leadsCreated: number
}

type Command = fc.AsyncCommand<Run, Run> & { toJSON(): CommandData }

/** A command as plain data: how a kept failing case stores its commands. */
export type CommandData =
  | { readonly kind: "CreateLead"; readonly type: 0 | 1; readonly tag: string; readonly thinkMs: number }
  | {
      readonly kind: "SetState"
      readonly agent: number
      readonly state: RequestableState
      readonly thinkMs: number
      readonly among?: Among
    }
  | { readonly kind: "Accept" | "Ignore"; readonly agent: number; readonly thinkMs: number }
  | { readonly kind: "TimeOut"; readonly agent: number }
  | { readonly kind: "Hangup"; readonly agent: number; readonly thinkMs: number }
  | {
      readonly kind: "SubmitOutcome"
      readonly agent: number
      readonly disposition: number
      readonly thinkMs: number
      readonly among?: Among
    }
  | {
      readonly kind: "ChangeCadence"
      readonly status: "new" | "callback"
      readonly delaysMs: ReadonlyArray<number>
      readonly priority: number
      readonly finalStatus: "unreachable" | "notInterested" | "callback"
      readonly maxAttempts: number
      readonly thinkMs: number
    }
  | { readonly kind: "SwitchPriorityZero"; readonly type: 0 | 1; readonly on: boolean; readonly thinkMs: number }
  | { readonly kind: "AdvanceClock"; readonly ms: number }

const RequestableStates = ["Online", "Offline", "Busy", "OnBreak"] as const
type RequestableState = (typeof RequestableStates)[number]

const agentOf = (r: Run, index: number) => {
  const id = r.harness.agentId(index)
  const a = r.harness.model.agents.get(id)
  if (a === undefined) throw new Error(`no agent ${id}`)
  return a
}

/** The `k`-th agent (round robin) that `qualifies`, so that a command finds someone to act on when anyone can. */
const pickAgent = (r: Readonly<Run>, k: number, qualifies: (a: M.ModelAgent) => boolean): number | undefined => {
  const ids = r.harness.world.agentIds
  const matching = ids.flatMap((id, i) => {
    const a = r.harness.model.agents.get(id)
    return a !== undefined && qualifies(a) ? [i] : []
  })
  return matching.length === 0 ? undefined : matching[k % matching.length]
}

/** Which agents a command picks among: anyone, or those for whom it makes a difference. */
export type Among = "any" | "notOnline" | "online" | "holding" | "wrappingUp"

const qualifiers: Record<Among, (a: M.ModelAgent) => boolean> = {
  any: () => true,
  notOnline: (a) => a.state !== "Online",
  online: (a) => a.state === "Online",
  holding: (a) => a.workingLeadId !== null,
  wrappingUp: (a) => a.workingLeadId !== null && a.call?.ended !== false,
}

const hasNotification = (a: M.ModelAgent) => a.pending !== null
const onLiveCall = (a: M.ModelAgent) => a.call !== null && !a.call.ended

const think = (r: Run, ms: number) => r.harness.advanceTo(r.harness.model.now + ms)

const agentClient = (r: Run, index: number) =>
  r.harness.world.run(Effect.map(AgentEntity.client, (agents) => agents(r.harness.agentId(index))))

const execute = (effect: Effect.Effect<unknown>) => Effect.runPromise(Effect.asVoid(effect))

class CreateLead implements Command {
  constructor(
    readonly type: 0 | 1,
    readonly tag: string,
    readonly thinkMs: number,
  ) {}
  check = () => true
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        yield* think(r, this.thinkMs)
        const n = ++r.leadsCreated
        const tenant = r.harness.world.tenant
        const id = LeadId.make(`${tenant.tenantId}-lead-${this.tag}${n}`)
        const typeId: LeadTypeId = this.type === 0 ? tenant.leadTypes.injury : tenant.leadTypes.preClosed
        const phone = `+1415555${String(1000 + n).padStart(4, "0")}`
        yield* r.harness.command(
          `lead ${id} created (${this.type === 0 ? "injury" : "pre-closed"})`,
          (s) => {
            M.createLead(s, id, typeId)
            return { _tag: "Done" }
          },
          Effect.as(r.harness.world.createLead({ id, leadTypeId: typeId, phone }), { _tag: "Done" } as const),
        )
      }),
    )
  toJSON = (): CommandData => ({ kind: "CreateLead", type: this.type, tag: this.tag, thinkMs: this.thinkMs })
  toString = () => `CreateLead(${this.type === 0 ? "injury" : "preClosed"}, "${this.tag}", +${this.thinkMs})`
}

class SetState implements Command {
  constructor(
    readonly agent: number,
    readonly state: RequestableState,
    readonly thinkMs: number,
    readonly among: Among = "any",
  ) {}
  check = (m: Readonly<Run>) => pickAgent(m, this.agent, qualifiers[this.among]) !== undefined
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        const index = pickAgent(r, this.agent, qualifiers[this.among]) ?? this.agent
        yield* think(r, this.thinkMs)
        const id = r.harness.agentId(index)
        const client = yield* agentClient(r, index)
        yield* r.harness.command(
          `${id} asks to be ${this.state}`,
          (s) => M.setState(s, id, this.state),
          answerOf(r.harness.world.run(client.SetState({ state: this.state, source: "agent" }))),
        )
      }),
    )
  toJSON = (): CommandData => ({
    kind: "SetState",
    agent: this.agent,
    state: this.state,
    thinkMs: this.thinkMs,
    among: this.among,
  })
  toString = () => `SetState(${this.among}#${this.agent}, ${this.state}, +${this.thinkMs})`
}

/** Accept and Ignore answer the notification on screen: its offer id is read from the agent, as a console does. */
class AnswerNotification implements Command {
  constructor(
    readonly agent: number,
    readonly answer: "Accept" | "Ignore",
    readonly thinkMs: number,
  ) {}
  check = (m: Readonly<Run>) => pickAgent(m, this.agent, hasNotification) !== undefined
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        const index = pickAgent(r, this.agent, hasNotification) ?? this.agent
        yield* think(r, this.thinkMs)
        const id = r.harness.agentId(index)
        const client = yield* agentClient(r, index)
        const view = yield* r.harness.world.run(client.View()).pipe(Effect.orDie)
        const offerId = view.pendingOffer?.offerId
        if (offerId === undefined) {
          // The notification timed out while the agent was thinking: nothing to answer.
          if (agentOf(r, index).pending === null) return
          throw new Error(`${id} shows no notification although the model has one`)
        }
        yield* r.harness.command(
          `${id} ${this.answer === "Accept" ? "accepts" : "ignores"} its notification`,
          (s) => (this.answer === "Accept" ? M.accept(s, id) : M.ignore(s, id)),
          answerOf(
            r.harness.world.run(this.answer === "Accept" ? client.Accept({ offerId }) : client.Ignore({ offerId })),
          ),
        )
      }),
    )
  toJSON = (): CommandData => ({ kind: this.answer, agent: this.agent, thinkMs: this.thinkMs })
  toString = () => `${this.answer}(${this.agent}, +${this.thinkMs})`
}

/** The agent lets its notification time out: the clock moves to the offer's expiry. */
class LetNotificationTimeOut implements Command {
  constructor(readonly agent: number) {}
  check = (m: Readonly<Run>) => pickAgent(m, this.agent, hasNotification) !== undefined
  run = (_: Run, r: Run) =>
    execute(
      Effect.suspend(() => {
        const index = pickAgent(r, this.agent, hasNotification) ?? this.agent
        const pending = agentOf(r, index).pending
        if (pending === null) return Effect.void
        r.harness.trail.push(`${r.harness.agentId(index)} lets its notification time out`)
        return r.harness.advanceTo(pending.expiresAt)
      }),
    )
  toJSON = (): CommandData => ({ kind: "TimeOut", agent: this.agent })
  toString = () => `TimeOut(${this.agent})`
}

class Hangup implements Command {
  constructor(
    readonly agent: number,
    readonly thinkMs: number,
  ) {}
  check = (m: Readonly<Run>) => pickAgent(m, this.agent, onLiveCall) !== undefined
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        const index = pickAgent(r, this.agent, onLiveCall) ?? this.agent
        yield* think(r, this.thinkMs)
        const id = r.harness.agentId(index)
        const client = yield* agentClient(r, index)
        yield* r.harness.command(
          `${id} hangs up`,
          (s) => M.hangup(s, id),
          answerOf(r.harness.world.run(client.Hangup())),
        )
      }),
    )
  toJSON = (): CommandData => ({ kind: "Hangup", agent: this.agent, thinkMs: this.thinkMs })
  toString = () => `Hangup(${this.agent}, +${this.thinkMs})`
}

class SubmitOutcome implements Command {
  constructor(
    readonly agent: number,
    readonly disposition: number,
    readonly thinkMs: number,
    readonly among: Among = "holding",
  ) {}
  check = (m: Readonly<Run>) => pickAgent(m, this.agent, qualifiers[this.among]) !== undefined
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        const index = pickAgent(r, this.agent, qualifiers[this.among]) ?? this.agent
        yield* think(r, this.thinkMs)
        const id = r.harness.agentId(index)
        const dispositions = r.harness.model.config.dispositions
        const disposition = dispositions[this.disposition % dispositions.length]
        if (disposition === undefined) throw new Error("the tenant has no dispositions")
        const dispositionId: DispositionId = disposition.id
        const client = yield* agentClient(r, index)
        yield* r.harness.command(
          `${id} records "${disposition.label}"`,
          (s) => M.submitOutcome(s, id, dispositionId),
          answerOf(r.harness.world.run(client.SubmitOutcome({ dispositionId }))),
        )
      }),
    )
  toJSON = (): CommandData => ({
    kind: "SubmitOutcome",
    agent: this.agent,
    disposition: this.disposition,
    thinkMs: this.thinkMs,
    among: this.among,
  })
  toString = () => `SubmitOutcome(${this.among}#${this.agent}, ${this.disposition}, +${this.thinkMs})`
}

class ChangeCadence implements Command {
  constructor(
    readonly status: "new" | "callback",
    readonly delaysMs: ReadonlyArray<number>,
    readonly priority: number,
    readonly finalStatus: "unreachable" | "notInterested" | "callback",
    readonly maxAttempts: number,
    readonly thinkMs: number,
  ) {}
  check = () => true
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        yield* think(r, this.thinkMs)
        const tenant = r.harness.world.tenant
        const statusId: LeadStatusId = tenant.statuses[this.status]
        const cadence: Cadence = {
          delaysMs: this.delaysMs,
          priority: this.priority,
          finalStatusId: tenant.statuses[this.finalStatus],
          maxAttempts: this.maxAttempts,
        }
        yield* r.harness.command(
          `the cadence of "${this.status}" becomes ${JSON.stringify(this.delaysMs)}, priority ${this.priority}, ` +
            `then ${this.finalStatus} after ${this.maxAttempts}`,
          (s) => M.changeCadence(s, statusId, cadence),
          answerOf(r.harness.world.run(changeCadence({ tenantId: tenant.tenantId, statusId, cadence }))),
        )
      }),
    )
  toJSON = (): CommandData => ({
    kind: "ChangeCadence",
    status: this.status,
    delaysMs: this.delaysMs,
    priority: this.priority,
    finalStatus: this.finalStatus,
    maxAttempts: this.maxAttempts,
    thinkMs: this.thinkMs,
  })
  toString = () =>
    `ChangeCadence(${this.status}, ${JSON.stringify(this.delaysMs)}, ${this.priority}, ${this.finalStatus}, ` +
    `${this.maxAttempts}, +${this.thinkMs})`
}

class SwitchPriorityZero implements Command {
  constructor(
    readonly type: 0 | 1,
    readonly on: boolean,
    readonly thinkMs: number,
  ) {}
  check = () => true
  run = (_: Run, r: Run) =>
    execute(
      Effect.gen(this, function* () {
        yield* think(r, this.thinkMs)
        const tenant = r.harness.world.tenant
        const typeId: LeadTypeId = this.type === 0 ? tenant.leadTypes.injury : tenant.leadTypes.preClosed
        yield* r.harness.command(
          `priority 0 ${this.on ? "on" : "off"} for ${this.type === 0 ? "injury" : "pre-closed"}`,
          (s) => {
            M.switchPriorityZero(s, typeId, this.on)
            return { _tag: "Done" }
          },
          answerOf(
            r.harness.world.run(
              changePriorityZero({ tenantId: tenant.tenantId, leadTypeId: typeId, priorityZero: this.on }),
            ),
          ),
        )
      }),
    )
  toJSON = (): CommandData => ({ kind: "SwitchPriorityZero", type: this.type, on: this.on, thinkMs: this.thinkMs })
  toString = () => `SwitchPriorityZero(${this.type === 0 ? "injury" : "preClosed"}, ${this.on}, +${this.thinkMs})`
}

class AdvanceClock implements Command {
  constructor(readonly ms: number) {}
  check = () => true
  run = (_: Run, r: Run) =>
    execute(
      Effect.suspend(() => {
        r.harness.trail.push(`the clock moves ${this.ms} ms`)
        return think(r, this.ms)
      }),
    )
  toJSON = (): CommandData => ({ kind: "AdvanceClock", ms: this.ms })
  toString = () => `AdvanceClock(${this.ms})`
}

const second = 1_000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour

/** A person's pause between two actions: often none, usually seconds. */
const thinkMs = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: second }) },
  { weight: 2, arbitrary: fc.integer({ min: second, max: 4 * second }) },
  { weight: 1, arbitrary: fc.integer({ min: 4 * second, max: 2 * minute }) },
)

/** Answering a notification takes a moment, usually less than its timeout. */
const answerMs = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 6_000 }) },
)

const agent = fc.integer({ min: 0, max: 3 })

const delay = fc.oneof(
  fc.constant(0),
  fc.integer({ min: second, max: 2 * minute }),
  fc.integer({ min: hour, max: 3 * day }),
)

const createLead = fc
  .tuple(fc.constantFrom(0 as const, 1 as const), fc.stringMatching(/^[a-z]{0,2}$/), thinkMs)
  .map(([type, tag, t]) => new CreateLead(type, tag, t))
const leaving = fc.constantFrom("Offline" as const, "Busy" as const, "OnBreak" as const)
const comeOnline = fc.tuple(agent, thinkMs).map(([a, t]) => new SetState(a, "Online", t, "notOnline"))
const anyState = fc
  .tuple(agent, fc.constantFrom(...RequestableStates), thinkMs)
  .map(([a, state, t]) => new SetState(a, state, t, "any"))
const leaveOnline = fc.tuple(agent, leaving, thinkMs).map(([a, state, t]) => new SetState(a, state, t, "online"))
const leaveWrapUp = fc
  .tuple(agent, fc.constantFrom(...RequestableStates), thinkMs)
  .map(([a, state, t]) => new SetState(a, state, t, "wrappingUp"))
const accept = fc.tuple(agent, answerMs).map(([a, t]) => new AnswerNotification(a, "Accept", t))
const ignore = fc.tuple(agent, answerMs).map(([a, t]) => new AnswerNotification(a, "Ignore", t))
const timeOut = agent.map((a) => new LetNotificationTimeOut(a))
const hangup = fc.tuple(agent, thinkMs).map(([a, t]) => new Hangup(a, t))
const submitOutcome = fc
  .tuple(
    agent,
    fc.nat({ max: 5 }),
    thinkMs,
    fc.constantFrom("holding" as const, "wrappingUp" as const, "wrappingUp" as const),
  )
  .map(([a, d, t, among]) => new SubmitOutcome(a, d, t, among))
const cadenceEdit = fc
  .tuple(
    fc.constantFrom("new" as const, "callback" as const),
    fc.array(delay, { maxLength: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom("unreachable" as const, "notInterested" as const, "callback" as const),
    fc.integer({ min: 1, max: 5 }),
    thinkMs,
  )
  .map(([status, delays, priority, final, max, t]) => new ChangeCadence(status, delays, priority, final, max, t))
const priorityZeroSwitch = fc
  .tuple(fc.constantFrom(0 as const, 1 as const), fc.boolean(), thinkMs)
  .map(([type, on, t]) => new SwitchPriorityZero(type, on, t))
const advanceClock = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 10 * second }) },
    { weight: 3, arbitrary: fc.integer({ min: 10 * second, max: 15 * minute }) },
    { weight: 1, arbitrary: fc.integer({ min: 15 * minute, max: 8 * day }) },
  )
  .map((ms) => new AdvanceClock(ms))

/** fast-check picks among these uniformly: a command listed twice comes twice as often. */
export const commandArbitraries: Array<fc.Arbitrary<Command>> = [
  createLead,
  createLead,
  createLead,
  comeOnline,
  comeOnline,
  comeOnline,
  anyState,
  leaveOnline,
  leaveOnline,
  leaveWrapUp,
  accept,
  accept,
  accept,
  accept,
  accept,
  accept,
  ignore,
  ignore,
  timeOut,
  hangup,
  hangup,
  hangup,
  hangup,
  submitOutcome,
  submitOutcome,
  submitOutcome,
  submitOutcome,
  cadenceEdit,
  priorityZeroSwitch,
  advanceClock,
  advanceClock,
  advanceClock,
]

/** The command a kept failing case stored. */
export const commandFromData = (d: CommandData): Command => {
  switch (d.kind) {
    case "CreateLead":
      return new CreateLead(d.type, d.tag, d.thinkMs)
    case "SetState":
      return new SetState(d.agent, d.state, d.thinkMs, d.among)
    case "Accept":
    case "Ignore":
      return new AnswerNotification(d.agent, d.kind, d.thinkMs)
    case "TimeOut":
      return new LetNotificationTimeOut(d.agent)
    case "Hangup":
      return new Hangup(d.agent, d.thinkMs)
    case "SubmitOutcome":
      return new SubmitOutcome(d.agent, d.disposition, d.thinkMs, d.among)
    case "ChangeCadence":
      return new ChangeCadence(d.status, d.delaysMs, d.priority, d.finalStatus, d.maxAttempts, d.thinkMs)
    case "SwitchPriorityZero":
      return new SwitchPriorityZero(d.type, d.on, d.thinkMs)
    case "AdvanceClock":
      return new AdvanceClock(d.ms)
  }
}
