import { readWrite, resource } from '../declare.ts'
import { flag, ref, refs, text } from '../fields.ts'
import { department } from './common-fields.ts'

/**
 * Users (`/api/users`): POST, GET and PUT only; users are deactivated, never deleted. Login and
 * email are unique, as Coupa answers `{"errors":{"user":["Login has already been taken","Email has
 * already been taken"]}}`; a create needs login, email, first and last name (`First Name can't be
 * blank`); a user is active unless told otherwise, and fullname follows the names (coupa-api-facts §6).
 */
export const users = resource({
  name: 'users',
  singular: 'user',
  category: 'master',
  scopes: readWrite('user'),
  fields: [
    text('login', 'required', 'unique'),
    text('email', 'required', 'unique'),
    text('firstname', 'required', { label: 'First Name' }),
    text('lastname', 'required', { label: 'Last Name' }),
    text('fullname', 'readOnly', { joins: ['firstname', 'lastname'] }),
    flag('active', { default: true }),
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
