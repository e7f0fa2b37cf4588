/**
 * The JSON and XML representation of core API resources: one serializer and one body reader,
 * driven by the resource definitions (catalogue/).
 */
export { BodyError } from './body-error.ts'
export { dasherize, isWritable, NATURAL_KEYS } from './names.ts'
export { type BodyLimits, parseRequestBody } from './parse.ts'
export { type Plan, type PlannedField, ProjectionError, planView } from './plan.ts'
export { NO_RESULTS_MESSAGE, noResultsXml, renderErrors, renderList, renderRecord } from './render.ts'
export { normalizeDecimal } from './scalar-input.ts'
export { type DatetimeWriter, datetimeWriter } from './scalar-output.ts'
export type {
  FieldValue,
  Format,
  Projection,
  Rendered,
  ResolveResource,
  ResourceRecord,
  ReturnObject,
  ScalarValue,
  View,
} from './types.ts'
export { CONTENT_TYPES } from './types.ts'
