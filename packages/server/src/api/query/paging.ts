/** Paging, sorting and representation parameters: `offset`, `limit`, `order_by`, `dir`, `return_object`. */
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { QueryError } from './errors.ts'
import { findField, quote, scalarFields } from './names.ts'
import { MAX_LIMIT, type OrderBy, type ReturnObject } from './types.ts'

const WHOLE = /^\d+$/
const RETURN_OBJECTS: readonly ReturnObject[] = ['limited', 'shallow', 'none']

/** `offset`: 0-based, so `offset=50` starts at the 51st record. */
export function parseOffset(raw: string): number {
  const offset = Number(raw)
  if (WHOLE.test(raw) && Number.isSafeInteger(offset)) return offset
  throw new QueryError([`invalid offset ${quote(raw)}: expected a whole number, 0 or more`])
}

/** `limit`: 1 or more; Coupa caps a page at 50 records rather than refusing a larger limit. */
export function parseLimit(raw: string): number {
  const limit = Number(raw)
  if (WHOLE.test(raw) && limit >= 1) return Math.min(limit, MAX_LIMIT)
  throw new QueryError([
    `invalid limit ${quote(raw)}: expected a whole number from 1 to ${MAX_LIMIT} (larger values are capped at ${MAX_LIMIT})`,
  ])
}

/** `order_by`: a scalar attribute of the resource, dashed or underscored. */
export function parseOrderField(def: ResourceDefinition, raw: string): OrderBy['field'] {
  const field = findField(def.fields, raw)
  if (field?.kind === 'scalar') return field.name
  const names = scalarFields(def).map((scalar) => scalar.name)
  throw new QueryError([
    `invalid order_by ${quote(raw)}: expected an attribute of ${def.name}: ${names.join(', ')}`,
  ])
}

/** `dir`: `asc` or `desc`. */
export function parseDir(raw: string): OrderBy['dir'] {
  if (raw === 'asc' || raw === 'desc') return raw
  throw new QueryError([`invalid dir ${quote(raw)}: expected asc or desc`])
}

/** `return_object`: `limited`, `shallow` or `none`; without it the full record is returned. */
export function parseReturnObject(raw: string): ReturnObject {
  const found = RETURN_OBJECTS.find((value) => value === raw)
  if (found) return found
  throw new QueryError([`invalid return_object ${quote(raw)}: expected ${RETURN_OBJECTS.join(', ')}`])
}
