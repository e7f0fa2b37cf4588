/**
 * The one serializer of core API records, for JSON and XML alike, driven by the field types of the
 * resource definition: no resource has code of its own here.
 */
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { recordJson } from './json.ts'
import { dasherize } from './names.ts'
import { type Plan, planView } from './plan.ts'
import { type DatetimeWriter, utcDatetimes } from './scalar-output.ts'
import {
  CONTENT_TYPES,
  type Format,
  type Rendered,
  type ResolveResource,
  type ResourceRecord,
  type View,
} from './types.ts'
import { arrayXml, escapeXml, recordXml, XML_DECLARATION } from './xml.ts'

/**
 * Renders one record (`GET /api/invoices/:id`, and the answer to POST and PUT).
 *
 * @param def the record's resource; `def.xmlRoot` names the XML root (`invoice-header`).
 * @param record the record, underscored keys, references already expanded.
 * @param view `return_object` and `fields`; `none` gives an empty body, its status is the caller's.
 * @param format `json` gives a bare object, `xml` an XML document.
 * @param resolve finds the definitions of referenced resources, to type the fields shown nested.
 * @param writeDatetime writes datetimes (default: UTC, `2016-11-08T09:28:50+00:00`).
 * @throws ProjectionError when `view.fields` names unknown fields (a 400 for the caller).
 * @example renderRecord(invoices, record, { returnObject: 'full' }, 'json', resolve).body
 *   // '{"id":1,"invoice-number":"500","total":"567.07",…}'
 */
export function renderRecord(
  def: ResourceDefinition,
  record: ResourceRecord,
  view: View,
  format: Format,
  resolve: ResolveResource,
  writeDatetime: DatetimeWriter = utcDatetimes,
): Rendered {
  return render(def, view, format, resolve, {
    json: (plan) => recordJson(plan, record, writeDatetime),
    xml: (plan) => recordXml(plan, record, def.xmlRoot, writeDatetime),
  })
}

/**
 * Renders a list (`GET /api/invoices`): a bare JSON array, or `<invoice-headers type="array">`
 * (`def.xmlCollection`) holding one `def.xmlRoot` element per record. An empty XML list renders as
 * an empty array; Coupa answers 404 with {@link noResultsXml} instead, which is the caller's choice.
 * Parameters and errors as {@link renderRecord}.
 */
export function renderList(
  def: ResourceDefinition,
  records: readonly ResourceRecord[],
  view: View,
  format: Format,
  resolve: ResolveResource,
  writeDatetime: DatetimeWriter = utcDatetimes,
): Rendered {
  return render(def, view, format, resolve, {
    json: (plan) => records.map((record) => recordJson(plan, record, writeDatetime)),
    xml: (plan) => arrayXml(plan, records, def.xmlCollection, def.xmlRoot, writeDatetime),
  })
}

/** The view planned once, then the document in the format asked for; `none` is an empty body. */
function render(
  def: ResourceDefinition,
  view: View,
  format: Format,
  resolve: ResolveResource,
  documents: { json: (plan: Plan) => unknown; xml: (plan: Plan) => string },
): Rendered {
  const contentType = CONTENT_TYPES[format]
  if (view.returnObject === 'none') return { contentType, body: '' }
  const plan = planView(def.fields, view, resolve)
  if (format === 'json') return { contentType, body: JSON.stringify(documents.json(plan)) }
  return { contentType, body: XML_DECLARATION + documents.xml(plan) }
}

/**
 * Coupa's validation error body (coupa-api-facts §4.5, exception-handling-and-error-codes):
 * JSON `{"errors":{"invoice":["…"]}}`, keyed by the dashed singular, or by `options.key` as is
 * (`api_key_brownout`); XML `<?xml …?><errors><error>…</error></errors>`. Messages are escaped,
 * never wrapped in CDATA.
 *
 * @example renderErrors('json', 'user', ['Login has already been taken']).body
 *   // '{"errors":{"user":["Login has already been taken"]}}'
 */
export function renderErrors(
  format: Format,
  singular: string,
  messages: readonly string[],
  options: { key?: string | undefined } = {},
): Rendered {
  const contentType = CONTENT_TYPES[format]
  if (format === 'json') {
    const key = options.key ?? dasherize(singular)
    return { contentType, body: JSON.stringify({ errors: Object.fromEntries([[key, messages]]) }) }
  }
  const errors = messages.map((message) => `<error>${escapeXml(message)}</error>`).join('')
  return { contentType, body: `${XML_DECLARATION}<errors>${errors}</errors>` }
}

/** The message of Coupa's XML "no results" answer. */
export const NO_RESULTS_MESSAGE = 'No results match your search criteria.'

/**
 * The XML body Coupa sends with a 404 when a search finds nothing (JSON gets `[]` and 200 instead):
 * `<?xml …?><errors><error>No results match your search criteria.</error></errors>`
 * (coupa-api-facts §4.5, differences-between-xml-and-json-in-coupa).
 */
export function noResultsXml(): Rendered {
  return renderErrors('xml', 'errors', [NO_RESULTS_MESSAGE])
}
