import { readWrite, resource } from '../declare.ts'
import { flag, ref, text } from '../fields.ts'
import { segmentNames } from './common-fields.ts'

/**
 * Accounts (`/api/accounts`): a chart-of-accounts string split in up to 20 segments (`segment-1`
 * company, `segment-2` cost center, `segment-3` natural account, …), of an account type (a chart of
 * accounts). Empty segments are null. Scope `core.accounting.*` (facts §2.2).
 */
export const accounts = resource({
  name: 'accounts',
  singular: 'account',
  category: 'master',
  scopes: readWrite('accounting'),
  fields: [
    text('code', 'required'),
    text('name'),
    flag('active'),
    ...segmentNames.map((name) => (name === 'segment_1' ? text(name, 'required') : text(name))),
    ref('account_type', 'account_types', ['id', 'name']),
  ],
})
