import { LeadId } from "@ringmaster/domain"
import { expect } from "vitest"
import { api } from "./server-process.js"

/** Posts a lead of the demo tenant's intake campaign as its supervisor, and gives its id (the POST must succeed). */
export const postDemoLead = async (baseUrl: string, name: string, phone: string): Promise<LeadId> => {
  const created = await api(baseUrl, "demo-supervisor-token").post("/leads", {
    name,
    phone,
    leadTypeId: "demo-type-injury",
    campaignId: "demo-campaign-intake",
  })
  expect(created.status).toBe(201)
  return LeadId.make(String(created.body?.["id"]))
}
