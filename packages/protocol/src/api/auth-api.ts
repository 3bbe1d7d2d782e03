import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { AgentId, Role, TenantId, UserId } from "@ringmaster/domain"
import { Schema } from "effect"
import { Authentication } from "../auth.js"
import { Conflict, Forbidden, NotFound, TooManyAttempts, Unauthorized, ValidationError } from "../errors.js"
import { everyIssue } from "../every-issue.js"

/** Who a user is, as the consoles show it. Never carries a password or a token. */
export const UserSummary = Schema.Struct({
  id: UserId,
  tenantId: TenantId,
  name: Schema.String,
  role: Role,
  agentId: Schema.NullOr(AgentId),
})
export type UserSummary = typeof UserSummary.Type

export const UserView = Schema.Struct({
  ...UserSummary.fields,
  username: Schema.String,
  email: Schema.NullOr(Schema.String),
  disabled: Schema.Boolean,
  createdAt: Schema.Number,
})
export type UserView = typeof UserView.Type

export const LoginRequest = Schema.Struct({
  tenant: Schema.String.annotations({ description: "The tenant id" }),
  username: Schema.String,
  password: Schema.String.pipe(Schema.Redacted).annotations({ description: "Never stored; its scrypt hash is" }),
})

export const LoginResponse = Schema.Struct({
  token: Schema.String.annotations({ description: "Bearer token of the session; send it as Authorization" }),
  expiresAt: Schema.Number.annotations({ description: "Epoch milliseconds after which the token answers 401" }),
  user: UserSummary,
})

export const Me = Schema.Struct({
  user: UserSummary,
  credential: Schema.Struct({
    id: Schema.String,
    kind: Schema.Literal("session", "api"),
    expiresAt: Schema.NullOr(Schema.Number),
  }),
})

export const ApiTokenView = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
  createdAt: Schema.Number,
  expiresAt: Schema.NullOr(Schema.Number),
  revokedAt: Schema.NullOr(Schema.Number),
})
export type ApiTokenView = typeof ApiTokenView.Type

export const CreatedApiToken = Schema.Struct({
  ...ApiTokenView.fields,
  token: Schema.String.annotations({ description: "The secret, shown this once only" }),
})

export const CreateApiToken = Schema.Struct({
  label: Schema.String.annotations({ description: "What the token is for, e.g. the integration's name" }),
  expiresAt: Schema.optional(Schema.NullOr(Schema.Number)).annotations({
    description: "Epoch milliseconds; absent or null: until revoked",
  }),
})

/** Login needs no token; logout, me and the API tokens need one. */
export class AuthGroup extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("logout", "/auth/logout")
      .addSuccess(HttpApiSchema.NoContent)
      .annotate(OpenApi.Description, "Revokes the token this request carries."),
  )
  .add(HttpApiEndpoint.get("me", "/auth/me").addSuccess(Me))
  .add(
    HttpApiEndpoint.get("listTokens", "/auth/tokens")
      .addSuccess(Schema.Array(ApiTokenView))
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Your API tokens (ids and labels; the secrets are never shown again)."),
  )
  .add(
    HttpApiEndpoint.post("createToken", "/auth/tokens")
      .setPayload(everyIssue(CreateApiToken))
      .addSuccess(CreatedApiToken, { status: 201 })
      .addError(ValidationError)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "An API token for an integration, acting with your role. Shown once."),
  )
  .add(
    HttpApiEndpoint.del("revokeToken", "/auth/tokens/:tokenId")
      .setPath(Schema.Struct({ tokenId: Schema.String }))
      .addSuccess(HttpApiSchema.NoContent)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .middlewareEndpoints(Authentication)
  .add(
    HttpApiEndpoint.post("login", "/auth/login")
      .setPayload(everyIssue(LoginRequest))
      .addSuccess(LoginResponse)
      .addError(Unauthorized)
      .addError(ValidationError)
      .addError(TooManyAttempts)
      .annotate(
        OpenApi.Description,
        "Needs no token. A wrong tenant, username or password answers the same 401; after 5 failures of one login " +
          "within 15 minutes it answers 429 (with the seconds to wait) until the oldest of them is 15 minutes old.",
      ),
  )
  .annotate(OpenApi.Description, "Sessions and API tokens.") {}

export const CreateUser = Schema.Struct({
  username: Schema.String,
  name: Schema.String,
  role: Role,
  password: Schema.String.pipe(Schema.Redacted),
  email: Schema.optional(Schema.NullOr(Schema.String)),
  campaignId: Schema.optional(Schema.String).annotations({
    description: "For an agent: the campaign it works (its agent is created with the user)",
  }),
  legEndpoint: Schema.optional(Schema.NullOr(Schema.String)).annotations({
    description:
      "For an agent: where its own audio leg is dialled with the auto-dialer on, a phone number (the tenant's " +
      "region) or a sip: URI",
  }),
})

export const UpdateUser = Schema.Struct({
  name: Schema.optional(Schema.String),
  role: Schema.optional(Role),
})

const UserPath = Schema.Struct({ userId: UserId })

/** Admins only. */
export class UsersGroup extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.post("create", "/users")
      .setPayload(everyIssue(CreateUser))
      .addSuccess(UserView, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "A user with the role agent gets its agent at the same time."),
  )
  .add(HttpApiEndpoint.get("list", "/users").addSuccess(Schema.Array(UserView)).addError(Forbidden))
  .add(
    HttpApiEndpoint.get("get", "/users/:userId")
      .setPath(UserPath)
      .addSuccess(UserView)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.patch("update", "/users/:userId")
      .setPath(UserPath)
      .setPayload(everyIssue(UpdateUser))
      .addSuccess(UserView)
      .addError(ValidationError)
      .addError(Conflict)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Name and role. A role cannot change to or from agent."),
  )
  .add(
    HttpApiEndpoint.post("disable", "/users/:userId/disable")
      .setPath(UserPath)
      .addSuccess(UserView)
      .addError(Conflict)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Every token of the user stops working at once."),
  )
  .add(
    HttpApiEndpoint.post("enable", "/users/:userId/enable")
      .setPath(UserPath)
      .addSuccess(UserView)
      .addError(NotFound)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("resetPassword", "/users/:userId/password")
      .setPath(UserPath)
      .setPayload(everyIssue(Schema.Struct({ password: Schema.String.pipe(Schema.Redacted) })))
      .addSuccess(HttpApiSchema.NoContent)
      .addError(ValidationError)
      .addError(NotFound)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Sets a new password and ends the user's sessions (API tokens stay)."),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Users of your tenant. Admins only.") {}

export const TenantView = Schema.Struct({
  id: TenantId,
  name: Schema.String,
  defaultRegion: Schema.String,
  operator: Schema.Boolean,
  createdAt: Schema.Number,
})

export const CreateTenant = Schema.Struct({
  id: Schema.String.annotations({ description: "Lower-case letters, digits and dashes; also the login's tenant" }),
  name: Schema.String,
  defaultRegion: Schema.optional(Schema.String).annotations({ description: "ISO country code, default US" }),
  admin: Schema.Struct({ username: Schema.String, name: Schema.String, password: Schema.String.pipe(Schema.Redacted) }),
})

export class TenantsGroup extends HttpApiGroup.make("tenants")
  .add(
    HttpApiEndpoint.get("list", "/tenants")
      .addSuccess(Schema.Array(TenantView))
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Admins: your own tenant (a tenant never sees another)."),
  )
  .add(
    HttpApiEndpoint.post("create", "/tenants")
      .setPayload(everyIssue(CreateTenant))
      .addSuccess(Schema.Struct({ tenant: TenantView, admin: UserView }), { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Admins of an operator tenant only: a new, empty tenant with its first admin. The creator gets no access to it.",
      ),
  )
  .middleware(Authentication) {}
