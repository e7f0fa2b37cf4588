/** Which operators apply to which attribute types. */
import type { ScalarType } from '../../catalogue/index.ts'
import { OPERATORS, type Operator } from './types.ts'

// contains, starts_with and ends_with are for text only: Coupa rules them out for datetimes, and
// they mean nothing for numbers and booleans.
// https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/api-operators
const TEXT_ONLY: readonly Operator[] = ['contains', 'starts_with', 'ends_with']
const COMPARISONS: readonly Operator[] = OPERATORS.filter((op) => !TEXT_ONLY.includes(op))
const BY_TYPE: Readonly<Record<ScalarType, readonly Operator[]>> = {
  string: OPERATORS,
  integer: COMPARISONS,
  decimal: COMPARISONS,
  float: COMPARISONS,
  datetime: COMPARISONS,
  date: COMPARISONS,
  boolean: ['eq', 'not_eq', 'blank'],
}

/** The operators a filter on an attribute of this type may use. */
export function operatorsFor(type: ScalarType): readonly Operator[] {
  return BY_TYPE[type]
}

/** Narrows a bracket segment (`not_eq`) to an operator. */
export function isOperator(name: string): name is Operator {
  return (OPERATORS as readonly string[]).includes(name)
}
