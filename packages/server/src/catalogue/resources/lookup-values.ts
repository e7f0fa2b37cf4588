import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Lookup values (`/api/lookup_values`): the values of Coupa's configurable lookups. */
export const lookupValues: ResourceDefinition = {
  name: 'lookup_values',
  singular: 'lookup-value',
  xmlRoot: 'lookup-value',
  xmlCollection: 'lookup-values',
  category: 'master',
  scopes: { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'name', type: 'string', required: true },
    { kind: 'scalar', name: 'description', type: 'string' },
    { kind: 'scalar', name: 'external_ref_num', type: 'string' },
    { kind: 'scalar', name: 'external_ref_code', type: 'string' },
    { kind: 'scalar', name: 'active', type: 'boolean' },
  ],
}
