import { Clock, Duration, Effect } from "effect"

interface Sleeper {
  readonly at: number
  readonly seq: number
  readonly wake: () => void
}

/**
 * A clock that moves only when told to, as the TestClock does, but without the TestClock's wait for every
 * fiber of the test to suspend before each sleeper is woken: the cluster keeps a few loops that sleep a second
 * at a time, and the TestClock spends milliseconds of real time on each of their wake-ups. Moving this clock
 * to an instant wakes every sleeper due by then once, in due order; a periodic loop then sleeps again from
 * the new instant instead of catching up on every period it missed.
 */
export class ManualClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId
  private time: number
  private seq = 0
  private readonly sleepers = new Set<Sleeper>()

  constructor(start: number) {
    this.time = start
  }

  unsafeCurrentTimeMillis(): number {
    return this.time
  }

  readonly currentTimeMillis: Effect.Effect<number> = Effect.sync(() => this.time)

  unsafeCurrentTimeNanos(): bigint {
    return BigInt(this.time) * 1_000_000n
  }

  readonly currentTimeNanos: Effect.Effect<bigint> = Effect.sync(() => this.unsafeCurrentTimeNanos())

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const ms = Duration.toMillis(duration)
      if (!(ms > 0)) {
        resume(Effect.void)
        return
      }
      const sleeper: Sleeper = { at: this.time + ms, seq: this.seq++, wake: () => resume(Effect.void) }
      this.sleepers.add(sleeper)
      return Effect.sync(() => void this.sleepers.delete(sleeper))
    })
  }

  /** Moves the clock forward to `instant` (never back) and wakes every sleeper due by then. */
  advanceTo(instant: number): void {
    if (instant < this.time) throw new Error(`the clock cannot go back from ${this.time} to ${instant}`)
    this.time = instant
    const due = Array.from(this.sleepers)
      .filter((s) => s.at <= instant)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
    for (const sleeper of due) {
      this.sleepers.delete(sleeper)
      sleeper.wake()
    }
  }

  /** The earliest instant a sleeper is due, if any sleeps. */
  nextWakeUp(): number | undefined {
    let next: number | undefined
    for (const s of this.sleepers) if (next === undefined || s.at < next) next = s.at
    return next
  }
}
