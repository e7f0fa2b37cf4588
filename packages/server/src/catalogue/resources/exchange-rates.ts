import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, ref } from '../fields.ts'

/** Exchange rates (`/api/exchange_rates`): one rate from one currency to another, from a date on. */
export const exchangeRates = resource({
  name: 'exchange_rates',
  singular: 'exchange-rate',
  category: 'master',
  scopes: readWrite('common'),
  fields: [
    ref('from_currency', 'currencies', ['id', 'code'], 'required'),
    ref('to_currency', 'currencies', ['id', 'code'], 'required'),
    decimal('rate', 'required'),
    datetime('rate_date', 'required'),
  ],
})
