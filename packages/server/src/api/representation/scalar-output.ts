/**
 * How a scalar is written. JSON keeps Coupa's types: decimals as strings (`"total":"567.07"`),
 * integers and floats as numbers; XML writes text and names the type in an attribute
 * (coupa-api-facts §4.1, api-return-formats, differences-between-xml-and-json-in-coupa).
 */
import type { ScalarType } from '../../catalogue/index.ts'

/** The JSON value of a scalar; null and a missing value are both null. */
export function scalarJson(type: ScalarType, value: unknown, name: string): string | number | boolean | null {
  if (value === null || value === undefined) return null
  const checked = checkScalar(value, type, name)
  if (type === 'integer' || type === 'float') return typeof checked === 'number' ? checked : Number(checked)
  if (type === 'boolean') return typeof checked === 'boolean' ? checked : checked === 'true'
  return String(checked)
}

/** The XML text of a non-null scalar. Integral floats keep a `.0`, as Coupa's `1.0` does. */
export function scalarText(type: ScalarType, value: unknown, name: string): string {
  const checked = checkScalar(value, type, name)
  if (type === 'float' && typeof checked === 'number') return floatText(checked)
  return String(checked)
}

function floatText(value: number): string {
  const text = String(value)
  return /^-?\d+$/.test(text) ? `${text}.0` : text
}

/** Records come from the engine; anything but a primitive in a scalar field is a bug there. */
function checkScalar(value: unknown, type: ScalarType, name: string): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  throw new TypeError(`field ${name} holds a ${typeof value} where a ${type} is expected`)
}
