import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/** Bad input: names the field and the value that was refused. */
export class ValidationError extends Schema.TaggedError<ValidationError>()(
  "ValidationError",
  { field: Schema.String, value: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 400 }),
) {}

export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { resource: Schema.String, id: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 404 }),
) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401 }),
) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403 }),
) {}

/** The request is well formed but conflicts with the current state (e.g. an illegal agent transition). */
export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  { code: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 409 }),
) {}

export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 503 }),
) {}

export const notFound = (resource: string, id: string) =>
  new NotFound({ resource, id, message: `${resource} "${id}" was not found` })

/** An entity refused a command because of its current state; `code` is stable, `message` is for people. */
export class CommandRefused extends Schema.TaggedError<CommandRefused>()(
  "CommandRefused",
  { code: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({ status: 409 }),
) {}

/** Too many attempts (failed logins): try again after `retryAfterSeconds`. */
export class TooManyAttempts extends Schema.TaggedError<TooManyAttempts>()(
  "TooManyAttempts",
  { retryAfterSeconds: Schema.Number, message: Schema.String },
  HttpApiSchema.annotations({ status: 429 }),
) {}
