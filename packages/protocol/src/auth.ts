import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { AgentId, TenantId, UserId } from "@ringmaster/domain"
import { Context, Schema } from "effect"
import { Unauthorized } from "./errors.js"

export const Role = Schema.Literal("admin", "supervisor", "agent", "analyst")
export type Role = typeof Role.Type

export interface AuthenticatedUser {
  readonly userId: UserId
  readonly tenantId: TenantId
  readonly name: string
  readonly role: Role
  /** Set when the user works as an agent. */
  readonly agentId: AgentId | null
}

export class CurrentUser extends Context.Tag("@ringmaster/protocol/CurrentUser")<CurrentUser, AuthenticatedUser>() {}

/** Bearer-token authentication for every control-plane endpoint. */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("Authentication", {
  failure: Unauthorized,
  provides: CurrentUser,
  security: { bearer: HttpApiSecurity.bearer },
}) {}
