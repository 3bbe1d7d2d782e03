import { seedTenant, type SeededTenant } from "@ringmaster/store"
import type { E2eDatabase } from "./database-mode.js"
import { api, type ServerProcess, startServer } from "./server-process.js"

/**
 * The first runner of a multi-runner test and its tenant: six agents, calling hours open all day, notifications that
 * time out after 3 s. `env` starts more runners on the same database.
 */
export const firstRunnerWithTenant = async (db: E2eDatabase, key: string, name: string) => {
  const env = { ...db.env, DEMO: "false", PRESENCE_GRACE_SECONDS: "60" }
  const runner = await startServer(env)
  const tenant = await db.inspect(seedTenant({ key, name, agentCount: 6, leadCount: 0, now: Date.now() }))
  const settings = await api(runner.baseUrl, tenant.supervisor.token).patch("/settings", {
    callingHoursStart: 0,
    callingHoursEnd: 24,
    notificationTimeoutMs: 3_000,
  })
  if (settings.status !== 200) throw new Error(`could not set up the tenant "${key}": HTTP ${settings.status}`)
  return { env, runner, tenant }
}

/** What the posts of a load came to: the ids of the leads created, and a line for each refusal. */
export interface PostedLoad {
  readonly posted: Array<string>
  readonly refused: Array<string>
}

/**
 * Posts lead number `i` of a load (its name and phone made from `label` and `i`) through `via`; a lead created goes
 * to `load.posted`, anything else (an error, no answer within `patienceMs`) to `load.refused`.
 */
export const postLoadLead = async (
  load: PostedLoad,
  via: ServerProcess,
  tenant: SeededTenant,
  lead: { readonly label: string; readonly i: number; readonly phoneBase: number },
  patienceMs = 60_000,
): Promise<void> => {
  const post = api(via.baseUrl, tenant.supervisor.token).post("/leads", {
    name: `${lead.label} ${lead.i}`,
    phone: `+1415555${String(lead.phoneBase + lead.i).padStart(4, "0")}`,
    leadTypeId: tenant.leadTypes.injury,
    campaignId: tenant.campaignId,
  })
  const timeout = new Promise<null>((ok) => setTimeout(() => ok(null), patienceMs).unref())
  const created = await Promise.race([post, timeout])
    .then((answer) => answer ?? { status: 0, body: { error: `no answer in ${patienceMs} ms` } })
    .catch((e: unknown) => ({ status: 0, body: { error: String(e) } as Record<string, unknown> }))
  if (created.status === 201) load.posted.push(String(created.body?.["id"]))
  else load.refused.push(`${created.status} ${JSON.stringify(created.body).slice(0, 120)}`)
}
