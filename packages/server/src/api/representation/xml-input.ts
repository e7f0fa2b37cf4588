/**
 * Turns an XML element tree into the loose JSON shape `readFields` takes, guided by the definition:
 * XML alone cannot tell a reference from lines or a number from a string, and the `type`
 * attributes of the document are deliberately not trusted for that. Leaves stay text; `nil="true"`
 * is null, and so is an empty element of a non-string type (`<tax-amount type="decimal"/>`).
 */
import type { FieldDefinition, LinesField } from '../../catalogue/index.ts'
import { fieldsByName, referencedFields, underscore } from './names.ts'
import type { XmlElement } from './read-xml.ts'
import type { ResolveResource } from './types.ts'

/** Loose JSON: what a JSON body parses to, and what an XML body is turned into. */
export type Loose = string | number | boolean | null | Loose[] | { [key: string]: Loose }

/** Where the XML conversion reports problems and finds referenced definitions. */
export interface XmlInputContext {
  resolve: ResolveResource
  errors: string[]
}

/**
 * The children of `element` as an object keyed by element name. Unknown elements are kept (as
 * their text) so that `readFields` reports them the same way for JSON and XML.
 */
export function elementToLoose(
  fields: readonly FieldDefinition[],
  element: XmlElement,
  path: string,
  context: XmlInputContext,
): { [key: string]: Loose } {
  const byName = fieldsByName(fields)
  const result: { [key: string]: Loose } = Object.create(null)
  requireNoText(element, path, context)
  for (const child of element.children) {
    const where = `${path}${child.name}`
    if (Object.hasOwn(result, child.name)) {
      context.errors.push(`${where} appears more than once`)
      continue
    }
    const field = byName.get(underscore(child.name))
    result[child.name] = field ? fieldToLoose(field, child, where, context) : child.text
  }
  return result
}

function fieldToLoose(
  field: FieldDefinition,
  element: XmlElement,
  path: string,
  context: XmlInputContext,
): Loose {
  if (element.attributes.nil === 'true') return null
  if (field.kind === 'reference') {
    return elementToLoose(referencedFields(field, context.resolve), element, `${path}.`, context)
  }
  if (field.kind === 'lines') return linesToLoose(field, element, path, context)
  // A read-only list of references (`<roles>`): each entry by its id, for the engine to compare.
  if (field.kind === 'references') {
    return element.children.map((child) => {
      const id = child.children.find((inner) => inner.name === 'id')
      return { id: id ? id.text : null }
    })
  }
  if (element.children.length > 0) {
    context.errors.push(`${path} must be text, not elements`)
    return null
  }
  return element.text === '' && field.type !== 'string' ? null : element.text
}

function linesToLoose(field: LinesField, element: XmlElement, path: string, context: XmlInputContext): Loose {
  requireNoText(element, path, context)
  const lines: Loose[] = []
  for (const [index, child] of element.children.entries()) {
    const where = `${path}[${index}]`
    if (underscore(child.name) !== underscore(field.element)) {
      context.errors.push(`${where} must be a <${field.element}> element, not <${child.name}>`)
      continue
    }
    lines.push(elementToLoose(field.fields, child, `${where}.`, context))
  }
  return lines
}

/** Elements that hold fields may only hold whitespace between them. */
function requireNoText(element: XmlElement, path: string, context: XmlInputContext): void {
  if (element.text.trim() === '') return
  context.errors.push(`${path === '' ? element.name : path.replace(/\.$/, '')} must hold elements, not text`)
}
