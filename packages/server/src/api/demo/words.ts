/**
 * Word lists the demo data draws names from, written as `|`-separated text so that they stay
 * compact. No quotes or backslashes: the values go into JSON as they are.
 */

/** `'a | b | c'` → `['a', 'b', 'c']` */
function list(text: string): readonly string[] {
  return Object.freeze(text.split('|').map((word) => word.trim()))
}

/** `'100: US Corp | 200: UK Ltd'` → `[['100', 'US Corp'], ['200', 'UK Ltd']]` */
function pairs(text: string): ReadonlyArray<readonly [string, string]> {
  return list(text).map((entry): [string, string] => {
    const [key = '', value = ''] = entry.split(':').map((part) => part.trim())
    return [key, value]
  })
}

/** Supplier names: prefix, core and legal suffix (`Northwind Office Supply Inc.`). */
export const companyPrefixes = list(`Acme | Apex | Atlas | Beacon | Blue Ridge | Bright | Cascade | Cedar |
  Summit | Clearwater | Coastal | Crescent | Delta | Eagle | Evergreen | Falcon | Frontier | Golden Gate |
  Granite | Harbor | Highland | Horizon | Iron | Keystone | Lakeside | Liberty | Maple | Meridian | Metro |
  Midwest | Northwind | Oak | Pacific | Pinnacle | Prairie | Redwood | Riverside | Sierra | Silverline |
  Sterling | Sunrise | Tri-State | Union | Vanguard | Westfield`)

export const companyCores = list(`Office Supply | Industrial | Logistics | Software | Consulting | Print |
  Facilities | Electrical | Packaging | Technologies | Data Systems | Freight | Catering | Staffing |
  Laboratory | Medical Supply | Networks | Security | Cleaning Services | Marketing | Engineering |
  Fleet Services | Telecom | Furniture | Chemicals | Tooling | Analytics`)

export const companySuffixes = list('Inc. | LLC | Corp. | Ltd. | GmbH | Co. | Group | Partners')

/** User names. */
export const firstNames = list(`Aisha | Alex | Amelia | Ana | Andrew | Arjun | Ben | Carlos | Chen | Chloe |
  Daniel | David | Diego | Elena | Emily | Emma | Ethan | Fatima | Grace | Hannah | Hiro | Isabel | Jack |
  James | Jana | Jin | Julia | Kai | Laura | Leo | Liam | Lucas | Maria | Mateo | Mei | Mia | Mohammed |
  Nadia | Noah | Olivia | Omar | Priya | Rachel | Ravi | Sam | Sara | Sofia | Tom | Yuki | Zoe`)

export const lastNames = list(`Adams | Ahmed | Brown | Chen | Clark | Davis | Dubois | Fischer | Garcia |
  Gonzalez | Green | Hall | Hernandez | Ito | Jackson | Johnson | Khan | Kim | Kowalski | Lee | Lopez |
  Martin | Miller | Moore | Muller | Nakamura | Nguyen | Novak | Okafor | Patel | Perez | Rossi | Schmidt |
  Singh | Smith | Tanaka | Taylor | Thomas | Walker | Wang | White | Williams | Wilson | Young | Zhang`)

/** Department names, also the cost centers of accounts (`segment-2`). */
export const departmentNames = list(`Finance | Accounts Payable | Procurement | Information Technology |
  Human Resources | Marketing | Sales | Legal | Facilities | Operations | Research and Development |
  Engineering | Customer Support | Logistics | Manufacturing | Quality Assurance | Executive Office |
  Corporate Communications | Treasury | Internal Audit`)

/** [company code, company name]: `segment-1` of accounts. */
export const companies = pairs('100: US Corp | 200: UK Ltd | 300: DE GmbH | 400: CA Inc')

/** [natural account, name]: `segment-3` of accounts. */
export const glAccounts = pairs(`5000: Cost of Goods Sold | 6100: Office Supplies | 6150: Printing |
  6200: Travel | 6250: Meals and Entertainment | 6300: Software Subscriptions | 6350: Hardware |
  6400: Consulting | 6450: Legal Fees | 6500: Advertising | 6600: Rent and Facilities | 6650: Utilities |
  6700: Telecommunications | 6800: Training | 6900: Freight | 1500: Fixed Assets`)

/** Item names: adjective and noun (`Ergonomic Office Chair`). */
export const itemAdjectives = list(`Ergonomic | Heavy-Duty | Wireless | Recycled | Premium | Compact |
  Standard | Adjustable | Stainless | Portable | Industrial | Eco | Professional | Rugged | Modular`)

/** Item nouns, each with its unit of measure and typical price in US cents. */
export const itemNouns = pairs(`Office Chair: EA 24900 | Standing Desk: EA 54900 | Laptop: EA 129900 |
  Monitor: EA 27900 | Keyboard: EA 5900 | Mouse: EA 2900 | Headset: EA 8900 | Printer Paper: BX 4500 |
  Toner Cartridge: EA 8900 | Notebook: PK 1200 | Safety Gloves: PK 1900 | Hard Hat: EA 3400 |
  Cable Ties: PK 900 | Shipping Boxes: BX 3900 | Packing Tape: PK 1500 | Cleaning Supplies: BX 6500 |
  Coffee Beans: KG 2400 | Network Switch: EA 49900 | Server Rack: EA 119900 | Consulting Hours: HR 17500 |
  Installation Service: HR 9500 | Training Session: HR 12000 | Label Printer: EA 15900 |
  Whiteboard: EA 11900 | Filing Cabinet: EA 18900`).map(([noun, spec]) => {
  const [uom = 'EA', price = '0'] = spec.split(' ')
  return { noun, uom, priceCents: Number(price) }
})

/** Lookups and the stems of their values. */
export const lookupStems = pairs(`Region: North America, EMEA, APAC, LATAM, Nordics, DACH, Benelux, ANZ |
  Project: Atlas, Borealis, Cobalt, Drift, Ember, Fjord, Gemini, Halo, Ion, Juniper |
  Cost Center: Shared Services, Field Ops, Plant 1, Plant 2, Data Center, Headquarters |
  Spend Category: Indirect, Direct, Capex, Services, Marketing, Travel`).map(([lookup, values]) => ({
  lookup,
  values: values.split(',').map((value) => value.trim()),
}))

/** Expense categories, each with its natural account (`segment-3`) and merchants. */
export const expenseCategories =
  pairs(`Airfare: 6200 United Airlines, Lufthansa, Air Canada, British Airways |
  Hotel: 6200 Marriott, Hilton, Hyatt, Novotel | Meals: 6250 Cafe Central, Pret A Manger, Local Bistro |
  Taxi: 6200 Uber, Lyft, City Cab, FreeNow | Conference: 6800 Eventbrite, Cvent, Meetup |
  Office Supplies: 6100 Staples, Office Depot, Amazon`).map(([category, spec]) => ({
    category,
    glCode: spec.slice(0, 4),
    merchants: spec
      .slice(5)
      .split(',')
      .map((merchant) => merchant.trim()),
  }))

/** Requisition justifications and invoice dispute reasons. */
export const justifications =
  list(`Replacement for broken equipment | New hire onboarding | Quarterly restock |
  Project kickoff | Customer event | Team expansion | Annual renewal | Site maintenance`)

export const disputeReasons =
  list(`Price does not match the order | Quantity billed exceeds quantity received |
  Duplicate invoice | Goods damaged on arrival | Missing purchase order reference`)
