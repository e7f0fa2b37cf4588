import { readWrite, resource } from '../declare.ts'
import { flag, text } from '../fields.ts'

/** Lookup values (`/api/lookup_values`): the values of Coupa's configurable lookups. */
export const lookupValues = resource({
  name: 'lookup_values',
  singular: 'lookup-value',
  category: 'master',
  scopes: readWrite('common'),
  fields: [
    text('name', 'required'),
    text('description'),
    text('external_ref_num'),
    text('external_ref_code'),
    flag('active'),
  ],
})
