import { readWrite, resource } from '../declare.ts'
import { flag, text } from '../fields.ts'

/**
 * Accounts (`/api/accounts`): a chart-of-accounts string split in segments
 * (`segment-1` company, `segment-2` cost center, `segment-3` natural account).
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
    text('segment_1', 'required'),
    text('segment_2'),
    text('segment_3'),
  ],
})
