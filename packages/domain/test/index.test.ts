import { describe, expect, it } from "@effect/vitest"
import * as Domain from "../src/index.js"

describe("@ringmaster/domain entry point", () => {
  it("re-exports every module, ids and phone included", () => {
    for (const name of [
      "LeadId",
      "newId",
      "parsePhone",
      "E164",
      "agentTransition",
      "validateCadence",
      "nextAttempt",
      "compareQueueEntries",
      "QueueEntryOrder",
      "ReadyQueue",
      "applyOutcome",
      "chooseRecipients",
      "offerableTo",
      "TenantSettings",
      "defaultSettings",
      "recordFact",
      "callPhase",
    ]) {
      expect(Domain).toHaveProperty(name)
    }
  })
})
