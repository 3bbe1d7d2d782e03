/**
 * A statement's column list, written out instead of `*`. A named prepared statement keeps the row type it was
 * planned with; a `SELECT *` whose table gains a column (a later version's migration, while this one still runs)
 * changes it, and PostgreSQL then refuses the statement once on each connection (see `prepared-statements.ts`). A
 * written-out list keeps its row type.
 */
export const columnList = (columns: ReadonlyArray<string>, alias?: string): string =>
  columns.map((column) => (alias === undefined ? column : `${alias}.${column}`)).join(", ")
