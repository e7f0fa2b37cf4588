import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, integer, oneOf, ref, text } from '../fields.ts'
import { currency, paymentTerm, supplier } from './common-fields.ts'

/** Contract statuses as Coupa's contract pages name them. */
const statuses = [
  'draft',
  'pending_approval',
  'published',
  'on_hold',
  'expired',
  'completed',
  'withdrawn',
] as const

/**
 * Contracts (`/api/contracts`, XML `<contract>`/`<contracts>`, facts §4.1): agreements with a
 * supplier that orders and supplier items draw on. Scope `core.contract.*` (facts §2.2 "contracts
 * and related objects"). Created as drafts, then submitted and published; a published contract can
 * be put on hold, completed or expired.
 */
export const contracts = resource({
  name: 'contracts',
  singular: 'contract',
  category: 'transactional',
  scopes: readWrite('contract'),
  fields: [
    text('name', 'required'),
    text('number', 'required'),
    oneOf('status', statuses, 'readOnly'),
    oneOf('type', ['Contract', 'MasterAgreement', 'AmendmentContract']),
    integer('version', 'readOnly'),
    { ...supplier, required: true },
    currency,
    paymentTerm,
    datetime('start_date', 'required'),
    datetime('end_date'),
    decimal('maximum_value'),
    decimal('minimum_value'),
    text('po_message'),
    text('legal_agreement_url'),
    text('terms'),
    ref('parent', 'contracts', ['id', 'number']),
  ],
  actions: [
    { name: 'submit_for_approval', from: ['draft'], to: 'pending_approval' },
    { name: 'publish', from: ['draft', 'pending_approval'], to: 'published' },
    { name: 'hold', from: ['published'], to: 'on_hold' },
    { name: 'release_hold', from: ['on_hold'], to: 'published' },
    { name: 'complete', from: ['published', 'on_hold'], to: 'completed' },
    { name: 'expire', from: ['published', 'on_hold'], to: 'expired' },
  ],
  initialStatus: 'draft',
})
