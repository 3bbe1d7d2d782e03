import { type AuthenticatedUser, CurrentUser, Forbidden, type Role } from "@ringmaster/protocol"
import { Effect } from "effect"

/** The current user, if their role is one of `roles`; otherwise 403 naming what was needed. */
export const requireRole = (...roles: ReadonlyArray<Role>) =>
  Effect.flatMap(CurrentUser, (user): Effect.Effect<AuthenticatedUser, Forbidden> =>
    roles.includes(user.role)
      ? Effect.succeed(user)
      : Effect.fail(new Forbidden({ message: `this needs the role ${roles.join(" or ")}; you are ${user.role}` })),
  )
