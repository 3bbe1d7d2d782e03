import type { Schema } from "effect"

/** A request payload reports every refused field, not only the first: a form with two mistakes gets both named. */
export const everyIssue = <A, I, R>(schema: Schema.Schema<A, I, R>): Schema.Schema<A, I, R> =>
  schema.annotations({ parseOptions: { errors: "all" } })
