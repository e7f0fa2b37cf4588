import { readWrite, resource } from '../declare.ts'
import { flag, ref, refs, text } from '../fields.ts'
import { department } from './common-fields.ts'

/** Users (`/api/users`): POST, GET and PUT only; users are deactivated, never deleted. */
export const users = resource({
  name: 'users',
  singular: 'user',
  category: 'master',
  scopes: readWrite('user'),
  fields: [
    text('login', 'required'),
    text('email', 'required'),
    text('firstname', 'required'),
    text('lastname', 'required'),
    text('fullname', 'readOnly'),
    flag('active'),
    flag('purchasing_user'),
    flag('expense_user'),
    flag('api_user'),
    text('employee_number'),
    text('default_locale'),
    ref('default_currency', 'currencies', ['id', 'code']),
    department,
    ref('manager', 'users', ['id', 'login']),
    refs('roles', 'roles', 'role', ['id', 'name', 'omnipotent', 'system_role']),
  ],
})
