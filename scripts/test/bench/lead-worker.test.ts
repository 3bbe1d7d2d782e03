import { describe, expect, it } from "@effect/vitest"
import { failureKind, LeadWorkers } from "../../bench/lib/lead-worker.js"

describe("failureKind", () => {
  it("keeps the command and the refusal's code, without what names one agent", () => {
    const refused = new Error(
      "SetState refused: call-in-progress: agent bench-agent-alan-18 is on a call: hang up first",
    )
    expect(failureKind(refused)).toBe("SetState refused: call-in-progress")
  })

  it("keeps a timeout without the last messages it lists", () => {
    const timedOut = new Error('timed out waiting for the reply to Accept; last messages:\n{"_tag":"AgentSnapshot"}')
    expect(failureKind(timedOut)).toBe("timed out waiting for the reply to Accept")
  })
})

describe("LeadWorkers", () => {
  it("counts failures by step and kind, and resolves `stopping` once stopped", async () => {
    const workers = new LeadWorkers()
    workers.failed("accept", new Error("Accept refused: no-such-offer: offer o-1 is gone"))
    workers.failed("accept", new Error("Accept refused: no-such-offer: offer o-2 is gone"))
    workers.failed("outcome", "socket closed")
    expect(Object.fromEntries(workers.failures)).toEqual({
      "accept: Accept refused: no-such-offer": 2,
      "outcome: socket closed": 1,
    })
    expect(workers.failedSteps).toBe(3)
    expect(workers.stopped).toBe(false)
    workers.stop()
    await expect(workers.stopping).resolves.toBeUndefined()
    expect(workers.stopped).toBe(true)
  })

  it("keeps the most agents working at once since the last reset", () => {
    const workers = new LeadWorkers()
    workers.started()
    workers.started()
    workers.finished()
    expect(workers.peakWorking).toBe(2)
    workers.resetPeak()
    expect(workers.peakWorking).toBe(1)
    workers.finished()
    expect(workers.working).toBe(0)
    expect(workers.peakWorking).toBe(1)
  })
})
