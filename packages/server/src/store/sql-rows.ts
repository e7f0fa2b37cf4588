/**
 * Rows to records and back, and the SQL fragments of record queries: what SqlStore needs besides
 * its statements. Portable SQL for SQLite and PostgreSQL.
 */
import type { RecordCondition, RecordQuery, RecordVersion, Store, StoredRecord } from './store.ts'

export type Row = Record<string, unknown>

const recordColumns = new Set(['id', 'status', 'exported', 'updated_at'])
const operators = new Set(['=', '<>', '>', '<', '>=', '<=', 'in', 'not in', 'is null', 'is not null'])

/** The SQL dialect a statement is written for: the driver's `kind`. */
type Dialect = Store['kind']

/** One WHERE term; columns and operators come from fixed lists, values always as parameters. */
export function conditionSql(
  { column, op, value }: RecordCondition,
  params: unknown[],
  dialect: Dialect,
): string {
  if (!recordColumns.has(column) || !operators.has(op))
    throw new Error(`unsupported condition ${column} ${op}`)
  if (op === 'is null' || op === 'is not null') return `${column} ${op.toUpperCase()}`
  const bind = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v)
  if (op === 'in' || op === 'not in') {
    const list = Array.isArray(value) ? value : [value]
    return listConditionSql(column, op, list.map(bind), params, dialect)
  }
  params.push(bind(value))
  return `${column} ${op} ?`
}

/**
 * `column IN (…)` or `NOT IN (…)` with the whole list as one parameter, so that the SQL is the same
 * text for every length of list: the drivers' statements, kept by SQL text (sqlite.ts), then number
 * one per query shape, not one per length a client sends, and no list runs into the limit on
 * parameters of a statement (SQLite 32 766, PostgreSQL 65 535).
 *
 * SQLite: json_each() makes the JSON array a table (https://www.sqlite.org/json1.html#jeach); its
 * `value` has no affinity, so it compares with the column's as a `?` in a list does
 * (https://www.sqlite.org/datatype3.html#affinity_of_comparison_operands).
 * PostgreSQL: `x = ANY (array)` is `x IN (…)` and `x <> ALL (array)` is `x NOT IN (…)`, NULLs
 * included (https://www.postgresql.org/docs/current/functions-comparisons.html); the array's type
 * is inferred from the column. On both, an empty list matches nothing with IN and everything,
 * NULLs too, with NOT IN (https://www.sqlite.org/lang_expr.html#the_in_and_not_in_operators).
 */
function listConditionSql(
  column: string,
  op: 'in' | 'not in',
  list: readonly unknown[],
  params: unknown[],
  dialect: Dialect,
): string {
  if (dialect === 'postgres') {
    params.push(list)
    return op === 'in' ? `${column} = ANY (?)` : `${column} <> ALL (?)`
  }
  params.push(JSON.stringify(list))
  return `${column} ${op.toUpperCase()} (SELECT value FROM json_each(?))`
}

export function selectRecords(
  columns: string,
  resource: string,
  query: RecordQuery,
  dialect: Dialect,
): [string, unknown[]] {
  const { where, order, params } = recordsWhere(resource, query, dialect)
  return [`SELECT ${columns} FROM api_records WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, params]
}

/**
 * The ids and update times of a page as one row and one text, `"<id> <updated_at> <id> …"` (`page`;
 * NULL for an empty page): a row per record cost a JS object each, most of the query's time.
 * `updated_at` holds no space (an ISO 8601 time). The aggregate reads the ordered page in its order
 * on both databases, but neither promises it (https://www.sqlite.org/lang_aggfunc.html#group_concat);
 * an ORDER BY in the aggregate would sort the page a second time, so the caller checks the order
 * instead (`pageVersions`).
 */
export function selectVersions(resource: string, query: RecordQuery, dialect: Dialect): [string, unknown[]] {
  const { where, order, params } = recordsWhere(resource, query, dialect)
  const concat = dialect === 'postgres' ? 'string_agg' : 'group_concat'
  const page = `SELECT id, updated_at FROM api_records WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`
  return [`SELECT ${concat}(id || ' ' || updated_at, ' ') AS page FROM (${page}) AS versions`, params]
}

/** The versions of `selectVersions`' text, in the order of `query` (sorted when they came out of it). */
export function pageVersions(page: unknown, query: RecordQuery): RecordVersion[] {
  if (typeof page !== 'string' || page === '') return []
  const parts = page.split(' ')
  const versions: RecordVersion[] = []
  for (let i = 0; i + 1 < parts.length; i += 2)
    versions.push({ id: Number(parts[i]), updatedAt: String(parts[i + 1]) })
  const sign = query.dir === 'desc' ? -1 : 1
  const compare =
    query.orderBy === 'updated_at'
      ? (a: RecordVersion, b: RecordVersion) =>
          sign * (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id)
      : (a: RecordVersion, b: RecordVersion) => sign * (a.id - b.id)
  for (let i = 1; i < versions.length; i++) {
    if (compare(versions[i - 1] as RecordVersion, versions[i] as RecordVersion) > 0)
      return versions.sort(compare)
  }
  return versions
}

function recordsWhere(resource: string, query: RecordQuery, dialect: Dialect) {
  const where = ['resource = ?']
  const params: unknown[] = [resource]
  for (const condition of query.conditions) where.push(conditionSql(condition, params, dialect))
  const dir = query.dir === 'desc' ? 'DESC' : 'ASC'
  const order = query.orderBy === 'updated_at' ? `updated_at ${dir}, id ${dir}` : `id ${dir}`
  params.push(query.limit, query.offset)
  return { where: where.join(' AND '), order, params }
}

/** The records of a list of ids, in no particular order: one SQL text for every length of list. */
export function selectRecordsById(
  resource: string,
  ids: readonly number[],
  dialect: Dialect,
): [string, unknown[]] {
  const params: unknown[] = [resource]
  const ofIds = listConditionSql('id', 'in', ids, params, dialect)
  return [`SELECT * FROM api_records WHERE resource = ? AND ${ofIds}`, params]
}

export function toStoredRecord(r: Row): StoredRecord {
  return {
    id: Number(r.id),
    status: nullableString(r.status),
    exported: r.exported === null || r.exported === undefined ? null : Number(r.exported) === 1,
    updatedAt: String(r.updated_at),
    data: String(r.data),
  }
}

export const nullableString = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v)
export const nullableNumber = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)
