import { describe, expect, it } from "@effect/vitest"
import { CampaignId, E164, LeadId, OfferId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { FastCheck as fc } from "effect"
import { firstNotifications, type SentLead, speedToLead } from "../../bench/lib/lead-latency.js"
import { runs } from "../bench-runs.js"

const notification = (leadId: string, kind: "outbound" | "inbound" = "outbound"): ServerMessage => ({
  _tag: "Notification",
  offer: {
    kind,
    offerId: OfferId.make(`offer-${leadId}`),
    campaignId: CampaignId.make("bench-campaign-intake"),
    expiresAt: 0,
    lead: {
      id: LeadId.make(leadId),
      name: "Bench Lead",
      phone: E164.make("+14152000001"),
      email: null,
      leadType: "Personal injury",
      status: "New",
      attempts: 0,
      lastContactAt: null,
      notes: "",
      history: [],
    },
  },
})

const pong: ServerMessage = { _tag: "Pong", requestId: null }

describe("firstNotifications", () => {
  it("keeps, for each lead, the earliest outbound Notification over every console, and ignores other messages", () => {
    const ada = [
      { at: 100, message: notification("lead-1") },
      { at: 105, message: pong },
      { at: 300, message: notification("lead-2") },
    ]
    // lead-2 recycled from Ada's console reached Grace's console earlier in this made-up order; lead-3 rang inbound
    const grace = [
      { at: 250, message: notification("lead-2") },
      { at: 400, message: notification("lead-1") },
      { at: 410, message: notification("lead-3", "inbound") },
    ]
    expect(firstNotifications([ada, grace])).toEqual(
      new Map([
        ["lead-1", 100],
        ["lead-2", 250],
      ]),
    )
  })
})

describe("speedToLead", () => {
  it("measures from the send to the first notification, counting failed POSTs and lost leads apart", () => {
    const sent: Array<SentLead> = [
      { sentAt: 1_000, leadId: "lead-1" },
      { sentAt: 1_010, leadId: undefined },
      { sentAt: 1_020, leadId: "lead-2" },
      { sentAt: 1_030, leadId: "lead-3" },
    ]
    const notified = new Map([
      ["lead-1", 1_012],
      ["lead-3", 1_300],
      ["lead-9", 1_500],
    ])
    expect(speedToLead(sent, notified)).toEqual({
      latencies: [12, 270],
      sent: 4,
      postFailures: 1,
      notified: 2,
      lost: 1,
    })
  })

  it.prop(
    "accounts for every POST once: notified + lost + failed = sent, one latency per notified lead",
    [
      fc.array(
        fc.record({
          sentAt: fc.integer({ min: 0, max: 1_000_000 }),
          created: fc.boolean(),
          delay: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
        }),
        { maxLength: 200 },
      ),
    ],
    ([posts]) => {
      const sent = posts.map((p, i) => ({ sentAt: p.sentAt, leadId: p.created ? `lead-${i}` : undefined }))
      const notified = new Map(
        posts.flatMap((p, i) =>
          p.created && p.delay !== undefined ? [[`lead-${i}`, p.sentAt + p.delay] as const] : [],
        ),
      )
      const result = speedToLead(sent, notified)
      expect(result.sent).toBe(posts.length)
      expect(result.notified + result.lost + result.postFailures).toBe(posts.length)
      expect(result.latencies).toHaveLength(result.notified)
      expect(result.latencies).toEqual(posts.flatMap((p) => (p.created && p.delay !== undefined ? [p.delay] : [])))
    },
    runs(),
  )
})
