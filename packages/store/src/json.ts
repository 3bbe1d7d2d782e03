/** jsonb columns are written as text and cast in SQL (`${toJson(x)}::jsonb`), read back parsed or as text. */
export const toJson = (value: unknown): string => JSON.stringify(value)

export const fromJson = <A>(value: unknown): A => (typeof value === "string" ? (JSON.parse(value) as A) : (value as A))
