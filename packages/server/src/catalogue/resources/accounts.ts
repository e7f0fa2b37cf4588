import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/**
 * Accounts (`/api/accounts`): a chart-of-accounts string split in segments
 * (`segment-1` company, `segment-2` cost center, `segment-3` natural account).
 */
export const accounts: ResourceDefinition = {
  name: 'accounts',
  singular: 'account',
  xmlRoot: 'account',
  xmlCollection: 'accounts',
  category: 'master',
  scopes: { read: 'core.accounting.read', create: 'core.accounting.write', update: 'core.accounting.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'code', type: 'string', required: true },
    { kind: 'scalar', name: 'name', type: 'string' },
    { kind: 'scalar', name: 'active', type: 'boolean' },
    { kind: 'scalar', name: 'segment_1', type: 'string', required: true },
    { kind: 'scalar', name: 'segment_2', type: 'string' },
    { kind: 'scalar', name: 'segment_3', type: 'string' },
  ],
}
