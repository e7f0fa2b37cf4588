import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { camelized } from '../src/contract/requests.ts'

describe('request bodies as the services take them (contract/requests.ts)', () => {
  it('names every key in camelCase, in nested objects and lists too, and leaves values alone', () => {
    const body = {
      quiet_period_seconds: 60,
      documentation_url: 'https://example.com/move_to_oauth',
      brownouts: [{ starts_at: 1, ends_at: 2, api_key_id: null }],
      permissions: ['invoices#index', 'purchase_orders#show'],
    }
    assert.deepEqual(camelized(body), {
      quietPeriodSeconds: 60,
      documentationUrl: 'https://example.com/move_to_oauth',
      brownouts: [{ startsAt: 1, endsAt: 2, apiKeyId: null }],
      permissions: ['invoices#index', 'purchase_orders#show'],
    })
  })
})
