import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { benchServer } from "../lib/bench-server.js"
import { bringOnline, connectConsoles } from "../lib/agent-consoles.js"
import { postgresServerUrl, scratchDatabase } from "../lib/scratch-database.js"

Effect.gen(function* () {
  const url = yield* scratchDatabase(postgresServerUrl(process.env))
  const { server, tenant } = yield* benchServer({ url, agents: 2 })
  const clients = yield* connectConsoles(server.baseUrl, tenant.agents.map((a) => a.token), 2)
  yield* bringOnline(clients, 2)
  const r = yield* Effect.promise(() => fetch(`${server.baseUrl}/leads`, { method: "POST", headers: { authorization: `Bearer ${tenant.supervisor.token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "X", phone: "+14152000001", leadTypeId: tenant.leadTypes.injury, campaignId: tenant.campaignId }) }).then(async (r) => [r.status, await r.text()]))
  console.log(r)
  yield* Effect.sleep("3 seconds")
  for (const c of clients) console.log(JSON.stringify(c.received.map((x) => x.message)).slice(0, 3000))
  console.log(server.output().slice(-3000))
}).pipe(Effect.scoped, NodeRuntime.runMain)
