/**
 * XML rendering of a plan, in the shape Rails' `to_xml` gives Coupa: dashed element names, a
 * `type` attribute on non-string scalars, `nil="true"` for null, `type="array"` on lists
 * (coupa-api-facts §4.1 and the `<invoice-header>` sample in §6).
 */
import { asRecord } from './json.ts'
import { dasherize } from './names.ts'
import type { Plan, PlannedField } from './plan.ts'
import { type DatetimeWriter, scalarText, utcDatetimes } from './scalar-output.ts'
import type { ResourceRecord } from './types.ts'

/** The XML declaration every XML body starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would become LF in the reader's end-of-line handling: https://www.w3.org/TR/xml/#sec-line-ends
  '\r': '&#13;',
}

// Characters outside the XML 1.0 `Char` production (C0 controls but tab, CR and LF; lone
// surrogates; U+FFFE, U+FFFF) cannot be written at all, not even as character references, so they
// are dropped: https://www.w3.org/TR/xml/#charsets
const TO_ESCAPE = /[&<>"'\r]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Escapes text for element content or a quoted attribute, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text.replace(TO_ESCAPE, (char) => ESCAPES[char] ?? '')
}

/** `<name>inner</name>`, or `<name/>` when there is nothing inside. */
export function element(name: string, inner: string, attributes = ''): string {
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`
}

/** One record as an element named `root`, its fields inside in plan order. */
export function recordXml(
  plan: Plan,
  record: ResourceRecord,
  root: string,
  writeDatetime: DatetimeWriter = utcDatetimes,
): string {
  const fields = plan.map((field) => fieldXml(field, record[field.name], writeDatetime))
  return `<${root}>${fields.join('')}</${root}>`
}

/** A list of records: `<invoice-headers type="array"><invoice-header>…</invoice-header>…`. */
export function arrayXml(
  plan: Plan,
  records: readonly unknown[],
  name: string,
  itemName: string,
  writeDatetime: DatetimeWriter = utcDatetimes,
): string {
  const items = records.map((record) => recordXml(plan, asRecord(record, name), itemName, writeDatetime))
  return element(name, items.join(''), ' type="array"')
}

function fieldXml(field: PlannedField, value: unknown, writeDatetime: DatetimeWriter): string {
  const name = dasherize(field.name)
  if (value === null || value === undefined) return `<${name} nil="true"/>`
  if (field.kind === 'reference')
    return recordXml(field.fields, asRecord(value, field.name), name, writeDatetime)
  if (field.kind === 'lines') {
    if (!Array.isArray(value))
      throw new TypeError(`field ${field.name} holds a ${typeof value} where lines are expected`)
    return arrayXml(field.fields, value, name, dasherize(field.element), writeDatetime)
  }
  const type = field.type === 'string' ? '' : ` type="${field.type}"`
  return `<${name}${type}>${escapeXml(scalarText(field.type, value, field.name, writeDatetime))}</${name}>`
}
