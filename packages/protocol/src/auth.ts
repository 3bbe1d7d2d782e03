import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { AgentId, Role, TenantId, UserId } from "@ringmaster/domain"
import { Context } from "effect"
import { Unauthorized } from "./errors.js"

export { Role }

/** A session comes from a login and expires; an API token is made for an integration and lasts until revoked. */
export type CredentialKind = "session" | "api"

export interface AuthenticatedUser {
  readonly userId: UserId
  readonly tenantId: TenantId
  readonly name: string
  readonly role: Role
  /** Set when the user works as an agent. */
  readonly agentId: AgentId | null
  /** The token this request came with: its public id (never the secret), kind and expiry. */
  readonly credential: {
    readonly id: string
    readonly kind: CredentialKind
    readonly expiresAt: number | null
  }
}

export class CurrentUser extends Context.Tag("@ringmaster/protocol/CurrentUser")<CurrentUser, AuthenticatedUser>() {}

/** Bearer-token authentication for every control-plane endpoint. */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("Authentication", {
  failure: Unauthorized,
  provides: CurrentUser,
  security: { bearer: HttpApiSecurity.bearer },
}) {}
