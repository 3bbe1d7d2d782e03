import { adaptiveDials } from "@ringmaster/domain"
import { simOptions } from "./options.js"
import { simulateDay } from "./world.js"
import { figures } from "./metrics.js"
const risks = process.argv.slice(2).map(Number)
for (const agents of [25, 10]) for (const seed of [1, 2]) for (const maxMarginalRisk of risks) {
  const r = simulateDay(simOptions({ agents, seed }), { name: "ours", dials: (v) => adaptiveDials(v, { maxMarginalRisk }) })
  const f = figures(r)
  console.log(agents, seed, maxMarginalRisk, (f.occupancy * 100).toFixed(2), (f.abandonmentRate * 100).toFixed(2))
}
