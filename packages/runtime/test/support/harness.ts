import type { AgentId } from "@ringmaster/domain"
import { CommandRefused } from "@ringmaster/protocol"
import { Effect } from "effect"
import { differences } from "./compare.js"
import { ConsoleWatch, stateViolations } from "./invariants.js"
import {
  type Answer,
  cloneState,
  deliverNotifications,
  dueTimers,
  interleavings,
  type ModelEvent,
  type ModelState,
  timerInstants,
} from "./model.js"
import type { RealState, World } from "./world.js"

/** A step of the run disagreed with the model or broke an invariant. */
export class ModelMismatch extends Error {}

/** What a real command answered, in the model's terms. */
export const answerOf = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<Answer> =>
  effect.pipe(
    Effect.as<Answer>({ _tag: "Done" }),
    Effect.catchAll((e): Effect.Effect<Answer> => {
      if (e instanceof CommandRefused) return Effect.succeed({ _tag: "Refused", code: e.code })
      if (typeof e === "object" && e !== null && "_tag" in e && typeof e._tag === "string") {
        return Effect.succeed({ _tag: "Refused", code: e._tag })
      }
      return Effect.die(e)
    }),
  )

/**
 * Drives one run: the real world and the model side by side. Every step moves the clock (delivering the timers
 * due on the way, one instant at a time), applies the command to both, lets the system settle, and compares.
 */
export class Harness {
  readonly watch = new ConsoleWatch()
  readonly trail: Array<string> = []
  /** When the run started: the trail shows times from here. */
  readonly origin: number

  constructor(
    readonly world: World,
    public model: ModelState,
  ) {
    this.origin = model.now
  }

  private fail(what: string, problems: ReadonlyArray<string>): never {
    throw new ModelMismatch(
      `${what}:\n  ${problems.join("\n  ")}\nsteps so far:\n  ${this.trail.slice(-40).join("\n  ")}`,
    )
  }

  /** Reads the system, checks the invariants, and keeps the first candidate the system agrees with. */
  private settleOn(what: string, candidates: ReadonlyArray<ModelState>) {
    return Effect.gen(this, function* () {
      const real = yield* this.world.read
      const pushes = yield* this.world.drainPushes
      const broken = [...this.watch.observe(pushes), ...stateViolations(real), ...this.watch.agrees(real)]
      if (broken.length > 0) this.fail(`invariants broken after ${what}`, broken)
      const verdicts = candidates.map((c) => ({ c, diff: differences(c, real) }))
      const match = verdicts.find((v) => v.diff.length === 0)
      if (match === undefined) {
        const closest = verdicts.reduce((a, b) => (b.diff.length < a.diff.length ? b : a))
        this.fail(
          `the system differs from the model after ${what}` +
            (candidates.length > 1 ? ` (closest of ${candidates.length} allowed outcomes)` : ""),
          closest.diff,
        )
      }
      this.model = match.c
      return real
    })
  }

  /** Moves the clock to `target`, stopping at every instant a timer (real or expected) is due. */
  advanceTo(target: number) {
    return Effect.gen(this, function* () {
      while (true) {
        const now = this.model.now
        const next = Math.min(
          target,
          ...this.world.pendingTimers().filter((t) => t > now),
          ...timerInstants(this.model).filter((t) => t > now),
        )
        if (next <= now) {
          if (next === target) return
          throw new Error(`the clock would go back to ${next}`)
        }
        yield* this.world.advanceTo(next)
        this.model.now = next
        const events = dueTimers(this.model)
        if (events.length > 0) {
          this.trail.push(`  at +${next - this.origin}: ${events.map((e) => e.label).join(", ")}`)
          yield* this.settleOn(`the timers at ${next}`, interleavings(this.model, events))
        }
        if (next === target) return
      }
    })
  }

  /**
   * One command: the model's answer and effects, the real command, and the comparison. `model` may return
   * events that the system runs concurrently (their order is then free).
   */
  command(label: string, model: (s: ModelState) => Answer | ReadonlyArray<ModelEvent>, real: Effect.Effect<Answer>) {
    return Effect.gen(this, function* () {
      this.trail.push(`at +${this.model.now - this.origin}: ${label}`)
      const next = cloneState(this.model)
      const result = model(next)
      deliverNotifications(next)
      const candidates = Array.isArray(result) ? interleavings(next, result) : [next]
      const expected: Answer = Array.isArray(result) ? { _tag: "Done" } : (result as Answer)
      const actual = yield* real
      if (actual._tag === "Refused") this.trail.push(`  refused: ${actual.code}`)
      yield* this.world.settle
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        this.fail(`${label} answered differently`, [
          `real ${JSON.stringify(actual)}, model ${JSON.stringify(expected)}`,
        ])
      }
      const state: RealState = yield* this.settleOn(label, candidates)
      return state
    })
  }

  agentId(index: number): AgentId {
    const ids = this.world.agentIds
    const id = ids[index % ids.length]
    if (id === undefined) throw new Error("no agents")
    return id
  }
}
