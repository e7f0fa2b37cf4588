/**
 * Safe reading of an XML request body into a small element tree. No DTD is ever processed: a
 * document with a DOCTYPE is refused before parsing, which shuts out external entities (XXE) and
 * entity expansion ("billion laughs"); only the five predefined entities and character references
 * are decoded, by this module, since fast-xml-parser runs with `processEntities: false` and then
 * leaves `&amp;` as it is. https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { BodyError } from './body-error.ts'

/** One element: its name, attributes, child elements and the character data directly inside. */
export interface XmlElement {
  name: string
  attributes: Readonly<Record<string, string>>
  children: XmlElement[]
  /** Text and CDATA directly inside, decoded and concatenated. */
  text: string
}

const DTD = /<!(?:DOCTYPE|ENTITY)/i
// https://www.w3.org/TR/xml/#charsets
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z][\w.-]*));|&/g
// https://www.w3.org/TR/xml/#sec-predefined-ent
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/**
 * Parses `text` into its root element. Throws BodyError when the document has a DOCTYPE, holds
 * characters XML 1.0 forbids, is not well-formed, uses an undeclared entity or nests deeper than
 * `maxDepth` elements (the root counts as 1).
 */
export function readXml(text: string, maxDepth: number): XmlElement {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (DTD.test(source)) throw new BodyError('DTDs are not accepted: the XML body must not contain a DOCTYPE')
  if (NOT_XML_CHAR.test(source))
    throw new BodyError('the XML body contains a character that XML 1.0 does not allow')
  const valid = XMLValidator.validate(source, { allowBooleanAttributes: false })
  if (valid !== true)
    throw new BodyError(`the XML body is not well-formed: ${valid.err.msg} (line ${valid.err.line})`)
  const nodes = parseOrdered(source, maxDepth)
  const roots = nodes.filter(isElementNode)
  const [root] = roots
  if (!root || roots.length !== 1) throw new BodyError('the XML body must have exactly one root element')
  return toElement(root, 1, maxDepth)
}

type OrderedNode = Record<string, unknown>

function parseOrdered(source: string, maxDepth: number): OrderedNode[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
  })
  try {
    return parser.parse(source) as OrderedNode[]
  } catch (error) {
    throw new BodyError(depthExceeded(error) ? tooDeep(maxDepth) : 'the XML body could not be read')
  }
}

function depthExceeded(error: unknown): boolean {
  return error instanceof Error && error.message.includes('nested tags')
}

function tooDeep(maxDepth: number): string {
  return `the XML body nests deeper than ${maxDepth} elements`
}

function isElementNode(node: OrderedNode): boolean {
  return elementName(node) !== undefined
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata')
}

function toElement(node: OrderedNode, depth: number, maxDepth: number): XmlElement {
  if (depth > maxDepth) throw new BodyError(tooDeep(maxDepth))
  const name = elementName(node) ?? ''
  const element: XmlElement = { name, attributes: readAttributes(node[':@']), children: [], text: '' }
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if (typeof child['#text'] === 'string') element.text += decodeReferences(child['#text'])
    else if (Array.isArray(child['#cdata'])) element.text += cdataText(child['#cdata'] as OrderedNode[])
    else element.children.push(toElement(child, depth + 1, maxDepth))
  }
  return element
}

/** CDATA content is literal: its `&amp;` stays `&amp;`. */
function cdataText(nodes: OrderedNode[]): string {
  return nodes.map((node) => (typeof node['#text'] === 'string' ? node['#text'] : '')).join('')
}

function readAttributes(raw: unknown): Record<string, string> {
  const attributes: Record<string, string> = Object.create(null)
  if (typeof raw !== 'object' || raw === null) return attributes
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') attributes[name] = decodeReferences(value)
  }
  return attributes
}

/** Decodes the predefined entities and character references in one pass, so `&amp;lt;` → `&lt;`. */
export function decodeReferences(text: string): string {
  return text.replace(
    REFERENCE,
    function decodeReference(whole, decimal?: string, hex?: string, name?: string) {
      if (name !== undefined) {
        const value = PREDEFINED[name]
        if (value === undefined) throw new BodyError(`the XML body uses the undeclared entity &${name};`)
        return value
      }
      const code =
        decimal !== undefined ? Number(decimal) : hex !== undefined ? Number.parseInt(hex, 16) : Number.NaN
      const char = Number.isNaN(code) || code > 0x10ffff ? '' : String.fromCodePoint(code)
      if (char === '' || NOT_XML_CHAR.test(char)) {
        throw new BodyError(`the XML body has an invalid character reference ${whole}`)
      }
      return char
    },
  )
}
