/**
 * The SQL condition for a call a person answered (not a machine, as far as detection could tell), on the `calls` row
 * named `alias` (none: the table's own columns). The one place the rule is written: the abandonment rate divides by
 * these calls, and the Calls report shows each call's verdict so that the rate can be proved from it.
 */
export const liveAnsweredCondition = (alias?: string): string => {
  const column = (name: string) => (alias === undefined ? name : `${alias}.${name}`)
  return `(${column("answered_at")} IS NOT NULL AND coalesce(${column("facts")}->>'amdResult', 'human') <> 'machine')`
}
