import { readWrite, resource } from '../declare.ts'
import { flag, text } from '../fields.ts'
import { currency } from './common-fields.ts'

/**
 * Account types (`/api/account_types`): the charts of accounts accounts belong to
 * (`<account-type><id>1</id><name>Ace Corporate</name>`, facts §6). Scope `core.accounting.*`
 * (facts §2.2: "accounts …, account_types").
 */
export const accountTypes = resource({
  name: 'account_types',
  singular: 'account-type',
  category: 'master',
  scopes: readWrite('accounting'),
  fields: [text('name', 'required'), flag('active'), currency],
})
