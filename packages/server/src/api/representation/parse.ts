/**
 * Reads a POST or PUT body (JSON or XML) into an underscored record of its fields, typed
 * by the resource definition, for the engine to validate and store.
 */
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { BodyError } from './body-error.ts'
import { underscore } from './names.ts'
import { readFields } from './read-input.ts'
import { readXml } from './read-xml.ts'
import type { Format, ResolveResource, ResourceRecord } from './types.ts'
import { elementToLoose, type Loose } from './xml-input.ts'

/** Limits on a body, checked before it is parsed. */
export interface BodyLimits {
  /** Longest body accepted, in UTF-16 code units (default 1 MiB). */
  maxLength?: number
  /** Deepest nesting accepted: XML elements, the root being 1, or JSON objects and arrays (default 32). */
  maxDepth?: number
}

const DEFAULT_MAX_LENGTH = 1024 * 1024
const DEFAULT_MAX_DEPTH = 32

/**
 * Reads a request body into a record of the fields of `def` it gives.
 *
 * - JSON: an object with dashed or underscored keys, bare or wrapped in its singular
 *   (`{"invoice":{…}}`) or XML root (`{"invoice-header":{…}}`).
 * - XML: root `def.xmlRoot` or the singular; `nil="true"` is null; DTDs are refused (read-xml.ts).
 * - Scalars are typed: numbers parsed, decimals normalized to strings (`"567.07"`), booleans from
 *   `true`/`false`, dates and datetimes validated (RFC 3339). References come back as the keys
 *   given (`{ id: 17 }` or `{ name: 'Insight' }`) for the engine to resolve; lines as arrays.
 * - Read-only fields are read too: the engine accepts them when they change nothing and refuses
 *   them otherwise (api/body-rules.ts); `required` is left to the engine, which knows create from update.
 *
 * @param contentType the request's `Content-Type`; JSON (RFC 8259 §11) and XML (RFC 7303) media
 *   types, `+json` and `+xml` included, are accepted. The body must already be decoded to text.
 * @param resolve finds the definitions of referenced resources.
 * @throws BodyError for an unsupported content type, a body that is too large, too deep or not
 *   well-formed, a DOCTYPE, unknown fields or values of the wrong type; all problems in one error.
 * @example parseRequestBody(invoices, 'application/json', '{"invoice-number":"500"}', resolve)
 *   // { invoice_number: '500' }
 */
export function parseRequestBody(
  def: ResourceDefinition,
  contentType: string | undefined,
  text: string,
  resolve: ResolveResource,
  limits: BodyLimits = {},
): ResourceRecord {
  const format = bodyFormat(contentType)
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH
  if (text.length > maxLength) throw new BodyError(`the body is longer than ${maxLength} characters`)
  if (text.trim() === '') throw new BodyError('the body is empty')
  const loose =
    format === 'json' ? readJsonBody(def, text, maxDepth) : readXmlBody(def, text, maxDepth, resolve)
  const errors: string[] = []
  const record = readFields(def.fields, loose, '', { resolve, errors })
  if (errors.length > 0) throw new BodyError(errors)
  return record
}

/**
 * The format of a `Content-Type`, or a BodyError. Structured suffixes count:
 * https://www.rfc-editor.org/rfc/rfc6839#section-3
 */
function bodyFormat(contentType: string | undefined): Format {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType)) return 'json'
  if (
    mediaType === 'application/xml' ||
    mediaType === 'text/xml' ||
    /^application\/[\w.+-]+\+xml$/.test(mediaType)
  ) {
    return 'xml'
  }
  throw new BodyError(
    `unsupported content type ${mediaType || '(none)'}: send application/json or application/xml`,
  )
}

function readJsonBody(def: ResourceDefinition, text: string, maxDepth: number): Loose {
  if (jsonDepth(text) > maxDepth) throw new BodyError(`the JSON body nests deeper than ${maxDepth} levels`)
  let value: Loose
  try {
    value = JSON.parse(text) as Loose
  } catch {
    throw new BodyError('the body is not valid JSON')
  }
  return unwrap(def, value)
}

/** `{"invoice":{…}}` → `{…}`, unless the one key is a field of the resource itself. */
function unwrap(def: ResourceDefinition, value: Loose): Loose {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const keys = Object.keys(value)
  const [key] = keys
  if (key === undefined || keys.length !== 1) return value
  const name = underscore(key)
  const isWrapper = name === underscore(def.singular) || name === underscore(def.xmlRoot)
  const inner = value[key]
  if (!isWrapper || def.fields.some((field) => field.name === name)) return value
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner : value
}

/** How deep objects and arrays nest in JSON text, found without parsing it. */
function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth)
    else if (char === '}' || char === ']') depth--
  }
  return deepest
}

function readXmlBody(
  def: ResourceDefinition,
  text: string,
  maxDepth: number,
  resolve: ResolveResource,
): Loose {
  const root = readXml(text, maxDepth)
  const name = underscore(root.name)
  if (name !== underscore(def.xmlRoot) && name !== underscore(def.singular)) {
    throw new BodyError(`the XML root must be <${def.xmlRoot}>, not <${root.name}>`)
  }
  const errors: string[] = []
  const loose = elementToLoose(def.fields, root, '', { resolve, errors })
  if (errors.length > 0) throw new BodyError(errors)
  return loose
}
