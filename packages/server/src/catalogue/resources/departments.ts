import { readWrite, resource } from '../declare.ts'
import { flag, text } from '../fields.ts'

/** Departments (`/api/departments`), under core.common like the other set-up entities. */
export const departments = resource({
  name: 'departments',
  singular: 'department',
  category: 'master',
  scopes: readWrite('common'),
  fields: [text('name', 'required', 'unique'), flag('active')],
})
