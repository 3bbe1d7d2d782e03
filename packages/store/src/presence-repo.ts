import { SqlClient } from "@effect/sql"
import { AgentId } from "@ringmaster/domain"
import { Effect } from "effect"

/**
 * Which runner holds which agent consoles. A runner counts its own connections per agent and refreshes `seen_at`
 * of those it holds; a connection is live while its row was seen within `liveMs`. A runner that was killed stops
 * refreshing, so its rows go stale by themselves.
 */
export const presenceConnected = (agentId: AgentId, runner: string, now: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`INSERT INTO agent_connections (agent_id, runner, connections, seen_at)
      VALUES (${agentId}, ${runner}, 1, ${now})
      ON CONFLICT (agent_id, runner) DO UPDATE SET connections = agent_connections.connections + 1, seen_at = ${now}`,
  )

export const presenceDisconnected = (agentId: AgentId, runner: string, now: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`UPDATE agent_connections SET connections = greatest(connections - 1, 0), seen_at = ${now}
      WHERE agent_id = ${agentId} AND runner = ${runner}`,
  )

/** Refreshes this runner's live rows, and forgets rows nobody has seen for a day. */
export const presenceHeartbeat = (runner: string, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE agent_connections SET seen_at = ${now} WHERE runner = ${runner} AND connections > 0`
    yield* sql`DELETE FROM agent_connections WHERE seen_at < ${now - 86_400_000}`
  })

/** Whether any runner holds a live console of the agent. */
export const presenceLive = (agentId: AgentId, now: number, liveMs: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ one: number }>`SELECT 1 AS one FROM agent_connections
      WHERE agent_id = ${agentId} AND connections > 0 AND seen_at >= ${now - liveMs} LIMIT 1`
    return rows.length > 0
  })

/**
 * Agents still at work (not Offline, not on a call) whose consoles all went away more than `graceMs` ago — closed,
 * or held by a runner that stopped refreshing them — and that are not connected anywhere now.
 */
export const presenceAbsentAgents = (now: number, liveMs: number, graceMs: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT a.id FROM agents a
      WHERE a.state NOT IN ('Offline', 'OnCall')
        AND EXISTS (SELECT 1 FROM agent_connections c WHERE c.agent_id = a.id)
        AND NOT EXISTS (SELECT 1 FROM agent_connections c
          WHERE c.agent_id = a.id AND c.connections > 0 AND c.seen_at >= ${now - liveMs})
        AND (SELECT max(c.seen_at) FROM agent_connections c WHERE c.agent_id = a.id) < ${now - graceMs}`
    return rows.map((r) => AgentId.make(r.id))
  })
