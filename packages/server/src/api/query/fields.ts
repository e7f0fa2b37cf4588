/**
 * The `fields` projection: a JSON array of names and `{"reference_or_lines": [...]}` objects.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/api-return-formats
 */
import { isCustomFieldsGroup } from '../../catalogue/custom-fields.ts'
import type { FieldDefinition } from '../../catalogue/index.ts'
import { QueryError } from './errors.ts'
import { findField, quote, resolveReference } from './names.ts'
import type { Projection, ResolveResource } from './types.ts'

const EXAMPLE = '["id","invoice_number",{"invoice_lines":["id","line_num"]}]'

/** The fields a level of the projection may name, and how messages refer to that level. */
interface Level {
  fields: readonly FieldDefinition[]
  /** `for invoices`, `under "invoice_lines"`. */
  where: string
}

/** Walks one level of the projection, collecting every problem in `errors`. */
function projectLevel(
  items: unknown[],
  level: Level,
  resolve: ResolveResource,
  errors: string[],
): Projection {
  const projection: Projection = []
  for (const item of items) {
    if (typeof item === 'string') {
      const field = findField(level.fields, item)
      if (field) projection.push(field.name)
      else errors.push(unknownField(item, level))
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      projection.push(projectNested(item as Record<string, unknown>, level, resolve, errors))
    } else {
      errors.push(
        `invalid entry ${quote(JSON.stringify(item))} in fields: expected a field name or an object such as {"invoice_lines":["id"]}`,
      )
    }
  }
  return projection
}

/** `{"invoice_lines": ["id"]}`: only references and lines have nested fields. */
function projectNested(
  item: Record<string, unknown>,
  level: Level,
  resolve: ResolveResource,
  errors: string[],
): { [name: string]: Projection } {
  const nested: { [name: string]: Projection } = {}
  for (const [name, given] of Object.entries(item)) {
    const field = findField(level.fields, name)
    // `{"custom_fields":{}}` selects every custom field (coupa-api-facts §4.2 "fields").
    const inner = field && isCustomFieldsGroup(field) && isEmptyObject(given) ? field.fields : given
    if (!field) {
      errors.push(unknownField(name, level))
    } else if (field.kind === 'scalar') {
      const nestable = level.fields.filter((candidate) => candidate.kind !== 'scalar').map((f) => f.name)
      errors.push(
        `field ${quote(field.name)} in fields ${level.where} cannot have nested fields; only references and lines can: ${nestable.join(', ')}`,
      )
    } else if (!Array.isArray(inner)) {
      errors.push(
        `nested fields of ${quote(field.name)} must be a JSON array, as in {"${field.name}":["id"]}`,
      )
    } else {
      const fields =
        field.kind === 'lines' ? field.fields : resolveReference(resolve, field.name, field.resource).fields
      nested[field.name] = projectLevel(
        inner,
        { fields, where: `under ${quote(field.name)}` },
        resolve,
        errors,
      )
    }
  }
  return nested
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  )
}

function unknownField(name: string, level: Level): string {
  return `unknown field ${quote(name)} in fields ${level.where}; fields: ${level.fields.map((f) => f.name).join(', ')}`
}

/**
 * Parses `fields=[…]` for a resource with these fields; names come back underscored.
 * @throws QueryError listing every unknown or misplaced name, or when `raw` is not a JSON array.
 */
export function parseFields(
  resource: { name: string; fields: readonly FieldDefinition[] },
  raw: string,
  resolve: ResolveResource,
): Projection {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  if (!Array.isArray(json)) {
    throw new QueryError([`invalid fields ${quote(raw)}: expected a JSON array such as ${EXAMPLE}`])
  }
  const errors: string[] = []
  const projection = projectLevel(
    json,
    { fields: resource.fields, where: `for ${resource.name}` },
    resolve,
    errors,
  )
  if (errors.length > 0) throw new QueryError(errors)
  return projection
}
