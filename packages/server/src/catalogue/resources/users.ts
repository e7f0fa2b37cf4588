import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Users (`/api/users`): POST, GET and PUT only; users are deactivated, never deleted. */
export const users: ResourceDefinition = {
  name: 'users',
  singular: 'user',
  xmlRoot: 'user',
  xmlCollection: 'users',
  category: 'master',
  scopes: { read: 'core.user.read', create: 'core.user.write', update: 'core.user.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'login', type: 'string', required: true },
    { kind: 'scalar', name: 'email', type: 'string', required: true },
    { kind: 'scalar', name: 'firstname', type: 'string', required: true },
    { kind: 'scalar', name: 'lastname', type: 'string', required: true },
    { kind: 'scalar', name: 'fullname', type: 'string', writable: false },
    { kind: 'scalar', name: 'active', type: 'boolean' },
    { kind: 'scalar', name: 'purchasing_user', type: 'boolean' },
    { kind: 'scalar', name: 'expense_user', type: 'boolean' },
    { kind: 'scalar', name: 'api_user', type: 'boolean' },
    { kind: 'scalar', name: 'employee_number', type: 'string' },
    { kind: 'scalar', name: 'default_locale', type: 'string' },
    { kind: 'reference', name: 'default_currency', resource: 'currencies', fields: ['id', 'code'] },
    { kind: 'reference', name: 'department', resource: 'departments', fields: ['id', 'name'] },
    { kind: 'reference', name: 'manager', resource: 'users', fields: ['id', 'login'] },
  ],
}
