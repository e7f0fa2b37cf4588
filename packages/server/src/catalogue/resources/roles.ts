import { readWrite, resource } from '../declare.ts'
import { flag, text } from '../fields.ts'

/**
 * Roles (`/api/roles`), under core.common like the other set-up entities (coupa-api-facts §2.2:
 * "roles" in the core.common.read and core.common.write rows). A user shows its roles as
 * `{"id":2,"name":"Admin","omnipotent":true,"system-role":true}` (§6).
 */
export const roles = resource({
  name: 'roles',
  singular: 'role',
  category: 'master',
  scopes: readWrite('common'),
  fields: [text('name', 'required'), text('description'), flag('omnipotent'), flag('system_role')],
})
