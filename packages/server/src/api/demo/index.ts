/**
 * Demo data for a Keyshift instance: a deterministic, internally consistent Coupa-like data set
 * (seedDemoData) and bulk invoices for scale tests (generateInvoices).
 */
export {
  DEMO_COUNTS,
  DEMO_RESOURCES,
  type DemoData,
  type DemoRecord,
  type DemoResource,
  demoCounts,
} from './context.ts'
export { DEFAULT_DEMO_SEED, type GenerateDemoDataOptions, generateDemoData } from './dataset.ts'
export {
  type GenerateInvoicesOptions,
  type GenerateInvoicesResult,
  generateInvoices,
} from './generate-invoices.ts'
export { type SeedDemoDataOptions, type SeedDemoDataResult, seedDemoData } from './seed.ts'
