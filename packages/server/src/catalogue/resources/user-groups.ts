import { readWrite, resource } from '../declare.ts'
import { flag, refs, text } from '../fields.ts'

/**
 * User groups (`/api/user_groups`, coupa-api-facts §4.3 reference data), read with
 * core.user_group.read and written with core.user_group.write. `users` lists the members, as
 * ConductorOne's baton-coupa reads them over GraphQL (`userGroups { users { id } }`, §5).
 */
export const userGroups = resource({
  name: 'user_groups',
  singular: 'user-group',
  category: 'master',
  scopes: readWrite('user_group'),
  fields: [
    text('name', 'required'),
    text('description'),
    flag('active'),
    refs('users', 'users', 'user', ['id', 'login', 'email']),
  ],
})
