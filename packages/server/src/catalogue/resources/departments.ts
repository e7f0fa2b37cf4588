import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Departments (`/api/departments`), under core.common like the other set-up entities. */
export const departments: ResourceDefinition = {
  name: 'departments',
  singular: 'department',
  xmlRoot: 'department',
  xmlCollection: 'departments',
  category: 'master',
  scopes: { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'name', type: 'string', required: true },
    { kind: 'scalar', name: 'active', type: 'boolean' },
  ],
}
