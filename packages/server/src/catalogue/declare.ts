/**
 * How a resource (resources/*.ts) is declared: what follows from Coupa's conventions is derived
 * (the XML names, the id and timestamps every record has, the usual read/write scope pair), so a
 * declaration says only what is particular to its resource. It builds the plain ResourceDefinition
 * that the engine, the docs and the tests read.
 */
import type { CustomAction, FieldDefinition, ResourceDefinition } from './definitions.ts'
import { datetime, integer } from './fields.ts'
import type { ScopeName } from './scopes.ts'

type ReadObject<S> = S extends `core.${infer O}.read` ? O : never
type WriteObject<S> = S extends `core.${infer O}.write` ? O : never

/** An object with both a `core.<object>.read` and a `core.<object>.write` scope: `supplier`, `common`. */
export type ReadWriteObject = ReadObject<ScopeName> & WriteObject<ScopeName>

/** Read with `core.<object>.read`, created and updated with `core.<object>.write`: `readWrite('supplier')`. */
export function readWrite(object: ReadWriteObject): ResourceDefinition['scopes'] {
  const write = `core.${object}.write` as const
  return { read: `core.${object}.read`, create: write, update: write }
}

/** The fields every Coupa record has, first in every resource. */
const recordFields: readonly FieldDefinition[] = [
  integer('id', 'readOnly'),
  datetime('created_at', 'readOnly'),
  datetime('updated_at', 'readOnly'),
]

/** A custom action as declared: it changes the record, so it takes the update scope unless it names another. */
export type ActionDeclaration = Omit<CustomAction, 'scope'> & { scope?: ScopeName }

/** A resource as declared: its own fields only, its XML names where Coupa's differ from the default. */
export interface ResourceDeclaration
  extends Omit<ResourceDefinition, 'xmlRoot' | 'xmlCollection' | 'actions'> {
  /** Default: the singular, dashed (`exchange-rate`). */
  xmlRoot?: string
  /** Default: the name, dashed (`exchange-rates`); Coupa's documents differ (`invoice-headers`). */
  xmlCollection?: string
  actions?: readonly ActionDeclaration[]
}

/**
 * The definition of a declared resource: XML names and action scopes defaulted, id and timestamps
 * first among its fields.
 */
export function resource(declaration: ResourceDeclaration): ResourceDefinition {
  const { name, singular, category, scopes, fields, actions, initialStatus } = declaration
  return {
    name,
    singular,
    xmlRoot: declaration.xmlRoot ?? dashed(singular),
    xmlCollection: declaration.xmlCollection ?? dashed(name),
    category,
    scopes,
    fields: [...recordFields, ...fields],
    ...(actions === undefined ? {} : { actions: actions.map((action) => withScope(action, scopes.update)) }),
    ...(initialStatus === undefined ? {} : { initialStatus }),
  }
}

function withScope(action: ActionDeclaration, update: ScopeName): CustomAction {
  const { name, scope = update, ...transition } = action
  return { name, scope, ...transition }
}

function dashed(name: string): string {
  return name.replaceAll('_', '-')
}
