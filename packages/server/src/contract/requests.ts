/**
 * Request bodies of the admin API as the services take them: the wire's snake_case names in
 * camelCase, nested objects and lists included. The one mapping inwards, as views.ts is outwards.
 */

/** `contact_first_name` → `contactFirstName` */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S

/** A wire value with every object key in camelCase. */
export type Camelized<T> = T extends readonly (infer Item)[]
  ? Camelized<Item>[]
  : T extends object
    ? { [K in keyof T as CamelCase<K & string>]: Camelized<T[K]> }
    : T

/** `{"contact_first_name": "Ada", "brownouts": [{"starts_at": 1}]}` → `{ contactFirstName: 'Ada', brownouts: [{ startsAt: 1 }] }` */
export function camelized<T>(value: T): Camelized<T> {
  if (Array.isArray(value)) return value.map(camelized) as Camelized<T>
  if (value === null || typeof value !== 'object') return value as Camelized<T>
  const entries = Object.entries(value).map(([key, item]) => [camelCase(key), camelized(item)])
  return Object.fromEntries(entries) as Camelized<T>
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}
