import { Scheduler } from "effect"
import type { Fiber } from "effect"

/**
 * Effect's scheduler with a count of the tasks it holds. A busy fiber yields through the scheduler, and after enough
 * turns the scheduler waits for a real timer: the count tells the harness that work is still queued there, without it
 * having to wait for a timer of its own before it trusts that the system is quiet.
 */
export class CountingScheduler implements Scheduler.Scheduler {
  private held = 0

  constructor(private readonly base: Scheduler.Scheduler = Scheduler.defaultScheduler) {}

  get pending(): number {
    return this.held
  }

  shouldYield(fiber: Fiber.RuntimeFiber<unknown, unknown>): number | false {
    return this.base.shouldYield(fiber)
  }

  scheduleTask(task: Scheduler.Task, priority: number, fiber?: Fiber.RuntimeFiber<unknown, unknown>): void {
    this.held += 1
    this.base.scheduleTask(
      () => {
        this.held -= 1
        task()
      },
      priority,
      fiber,
    )
  }
}
