/**
 * The five demo currencies and what follows from them: amounts in the currency's minor unit,
 * the tax rate applied to invoices and which suppliers bill in which currency.
 */
import { hashId } from './random.ts'

/** A demo currency and the figures the generators derive amounts from. */
export interface DemoCurrency {
  code: string
  name: string
  /** Decimals shown (JPY has none, so its amounts are whole yen). */
  decimals: number
  /** Units of this currency per US dollar, around the base date. */
  perUsd: number
  /** Tax charged on invoices in this currency. */
  taxRate: number
  /** Share of suppliers that bill in it, in percent. */
  supplierShare: number
}

/** USD, EUR, GBP, CAD and JPY, in the order of their ids. */
export const demoCurrencies: readonly DemoCurrency[] = Object.freeze([
  { code: 'USD', name: 'US Dollar', decimals: 2, perUsd: 1, taxRate: 0.0825, supplierShare: 70 },
  { code: 'EUR', name: 'Euro', decimals: 2, perUsd: 0.92, taxRate: 0.19, supplierShare: 12 },
  { code: 'GBP', name: 'British Pound', decimals: 2, perUsd: 0.79, taxRate: 0.2, supplierShare: 8 },
  { code: 'CAD', name: 'Canadian Dollar', decimals: 2, perUsd: 1.36, taxRate: 0.13, supplierShare: 7 },
  { code: 'JPY', name: 'Japanese Yen', decimals: 0, perUsd: 149.5, taxRate: 0.1, supplierShare: 3 },
])

/** The currency a supplier bills in: it follows from the supplier's id, so every generator agrees. */
export function supplierCurrency(supplierId: number): DemoCurrency {
  let roll = hashId(supplierId) % 100
  for (const currency of demoCurrencies) {
    roll -= currency.supplierShare
    if (roll < 0) return currency
  }
  return demoCurrencies[0] as DemoCurrency
}

/** A US-cent amount in `currency`'s cents, rounded to its smallest unit (whole yen for JPY). */
export function localCents(usdCents: number, currency: DemoCurrency): number {
  const unit = 10 ** (2 - currency.decimals)
  return Math.max(unit, Math.round((usdCents * currency.perUsd) / unit) * unit)
}

/** The tax on a net amount, rounded to the currency's smallest unit. */
export function taxCents(netCents: number, currency: DemoCurrency): number {
  const unit = 10 ** (2 - currency.decimals)
  return Math.round((netCents * currency.taxRate) / unit) * unit
}
