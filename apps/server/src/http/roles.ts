import { type AgentId, type Capability, mayReadLead, rolesWith } from "@ringmaster/domain"
import { type AuthenticatedUser, CurrentUser, Forbidden, type Role } from "@ringmaster/protocol"
import { Effect } from "effect"

const refusal = (roles: ReadonlyArray<Role>, user: AuthenticatedUser) =>
  new Forbidden({ message: `this needs the role ${roles.join(" or ")}; you are ${user.role}` })

/** The current user, if their role is one of `roles`; otherwise 403 naming what was needed. */
export const requireRole = (...roles: ReadonlyArray<Role>) =>
  Effect.flatMap(CurrentUser, (user): Effect.Effect<AuthenticatedUser, Forbidden> =>
    roles.includes(user.role) ? Effect.succeed(user) : Effect.fail(refusal(roles, user)),
  )

/** The current user, if their role holds `capability` (see `@ringmaster/domain` roles); otherwise 403. */
export const requireCapability = (capability: Capability) => requireRole(...rolesWith(capability))

/** Tenant-wide reads: admins, supervisors, managers, analysts. Not agents. */
export const requireReader = requireCapability("read")

/** Writes to the tenant's work and configuration: admins, supervisors, managers. */
export const requireConfigurer = requireCapability("configure")

/** Users, tokens of others, tenants: admins. */
export const requireAdmin = requireCapability("administer")

/** A lead may be read by readers, and by the agent it is assigned to (the one working it); others get 403. */
export const requireLeadReader = (assignedAgentId: AgentId | null) =>
  Effect.flatMap(CurrentUser, (user): Effect.Effect<AuthenticatedUser, Forbidden> =>
    mayReadLead(user, assignedAgentId)
      ? Effect.succeed(user)
      : Effect.fail(new Forbidden({ message: "an agent may read only the leads assigned to it" })),
  )
