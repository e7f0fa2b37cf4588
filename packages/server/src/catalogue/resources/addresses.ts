import { readWrite, resource } from '../declare.ts'
import { flag, ref, text } from '../fields.ts'

/** The street and country fields every address has, ship-to and remit-to alike. */
export const addressFields = [
  text('name'),
  text('street1', 'required'),
  text('street2'),
  text('city', 'required'),
  text('state'),
  text('postal_code'),
  ref('country', 'countries', ['id', 'code'], 'required'),
  flag('active'),
]

/**
 * Addresses (`/api/addresses`): the buyer's ship-to and bill-to addresses, named by documents
 * (`ship-to-address`, `bill-to-address`). Scope `core.common.*` (facts §2.2: "addresses").
 */
export const addresses = resource({
  name: 'addresses',
  singular: 'address',
  category: 'master',
  scopes: readWrite('common'),
  fields: [...addressFields, text('location_code'), text('attention')],
})
