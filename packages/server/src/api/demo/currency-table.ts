/**
 * The demo currencies: every ISO 4217 currency Node knows, and the five the demo records trade in
 * with what follows from them: amounts in the currency's minor unit, the tax rate applied to
 * invoices and which suppliers bill in which currency.
 *
 * The list, names and decimals come from Node's own ICU data (Unicode CLDR), maintained with Node:
 * no hand-typed table and no dependency. `Intl.supportedValuesOf('currency')` gives the ISO 4217
 * codes in tender use (fund codes such as CLF, metals such as XAU and the test codes XTS, XXX are
 * not among them; a few recently withdrawn codes such as HRK still are, which a currency table
 * keeps anyway). Decimals are CLDR's, the digits a currency is written with: they follow ISO 4217's
 * minor unit except for a few currencies whose minor unit is not used in practice (IDR: 0, ISO 2).
 */
import { hashId } from './random.ts'

/** A currency of the table: ISO 4217 code, English name, decimals. */
export interface CurrencyInfo {
  code: string
  name: string
  /** Decimals amounts in it are written with (JPY 0, USD 2, KWD 3). */
  decimals: number
}

/** A demo currency and the figures the generators derive amounts from. */
export interface DemoCurrency extends CurrencyInfo {
  /** Units of this currency per US dollar, around the base date. */
  perUsd: number
  /** Tax charged on invoices in this currency. */
  taxRate: number
  /** Share of suppliers that bill in it, in percent. */
  supplierShare: number
}

const names = new Intl.DisplayNames('en', { type: 'currency' })

/** The code's name and decimals from Node's ICU data. */
export function currencyInfo(code: string): CurrencyInfo {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: code })
  return { code, name: names.of(code) ?? code, decimals: format.resolvedOptions().maximumFractionDigits ?? 2 }
}

/** USD, EUR, GBP, CAD and JPY, in the order of their ids. */
export const demoCurrencies: readonly DemoCurrency[] = Object.freeze([
  { ...currencyInfo('USD'), perUsd: 1, taxRate: 0.0825, supplierShare: 70 },
  { ...currencyInfo('EUR'), perUsd: 0.92, taxRate: 0.19, supplierShare: 12 },
  { ...currencyInfo('GBP'), perUsd: 0.79, taxRate: 0.2, supplierShare: 8 },
  { ...currencyInfo('CAD'), perUsd: 1.36, taxRate: 0.13, supplierShare: 7 },
  { ...currencyInfo('JPY'), perUsd: 149.5, taxRate: 0.1, supplierShare: 3 },
])

/**
 * Every currency of the table: the demo currencies first (USD has id 1, as in Coupa's samples),
 * then the other ISO 4217 codes Node's ICU data knows, alphabetically.
 */
export const allCurrencies: readonly CurrencyInfo[] = Object.freeze([
  ...demoCurrencies,
  ...Intl.supportedValuesOf('currency')
    .filter((code) => !demoCurrencies.some((demo) => demo.code === code))
    .map(currencyInfo),
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
