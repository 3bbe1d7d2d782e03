import { Schema } from "effect"
import type { AgentId } from "./ids.js"

/** What a user may do in their tenant. A manager has the same powers as a supervisor. */
export const Role = Schema.Literal("admin", "supervisor", "manager", "agent", "analyst")
export type Role = typeof Role.Type

export const roles: ReadonlyArray<Role> = Role.literals

/**
 * - `read`: every tenant-wide read (leads, agents, queues, configuration, compliance, alerts).
 * - `configure`: every write of the tenant's work (leads, configuration, compliance, any agent's state).
 * - `administer`: users, tokens of others, the tenant itself.
 * What is personal (an agent acting as itself, one's own session and API tokens) is not a capability: see
 * `mayActAsAgent`.
 */
export type Capability = "read" | "configure" | "administer"

const grants: Record<Role, ReadonlyArray<Capability>> = {
  admin: ["read", "configure", "administer"],
  supervisor: ["read", "configure"],
  manager: ["read", "configure"],
  analyst: ["read"],
  agent: [],
}

export const hasCapability = (role: Role, capability: Capability): boolean => grants[role].includes(capability)

/** The roles that hold `capability`, in the order of `roles`. */
export const rolesWith = (capability: Capability): ReadonlyArray<Role> =>
  roles.filter((r) => hasCapability(r, capability))

/** Whether a user may act on (change the state of, read) an agent: configurers on any, an agent on itself only. */
export const mayActAsAgent = (
  user: { readonly role: Role; readonly agentId: AgentId | null },
  agentId: AgentId,
): boolean => hasCapability(user.role, "configure") || (user.role === "agent" && user.agentId === agentId)

/** Whether a user may read an agent: readers any, an agent itself only. */
export const mayReadAgent = (
  user: { readonly role: Role; readonly agentId: AgentId | null },
  agentId: AgentId,
): boolean => hasCapability(user.role, "read") || (user.role === "agent" && user.agentId === agentId)

/** Whether a user may read a lead: readers any lead of their tenant, an agent only a lead assigned to it. */
export const mayReadLead = (
  user: { readonly role: Role; readonly agentId: AgentId | null },
  assignedAgentId: AgentId | null,
): boolean =>
  hasCapability(user.role, "read") ||
  (user.role === "agent" && user.agentId !== null && user.agentId === assignedAgentId)
