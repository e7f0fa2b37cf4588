/** Who makes a core API request: an OAuth client (bearer token) or a legacy API key. */
export type Principal =
  | {
      kind: 'client'
      /** The client's Identifier. */
      id: string
      /** The client's login: shown in integration history. */
      label: string
      /** The token's scopes that the client still has. */
      scopes: ReadonlySet<string>
    }
  | {
      kind: 'api_key'
      id: string
      /** The key's contact login: shown in integration history. */
      label: string
      /** `resource#action` pairs, or null for every resource and action. */
      permissions: ReadonlySet<string> | null
    }

/** An API request that cannot be served as asked; rendered in Coupa's error format. */
export class ApiError extends Error {
  headers: Record<string, string> = {}
  /** Key of Coupa's error body (`{"errors":{"invoice-header":[…]}}`); the route's resource by default. */
  resource: string | undefined
  /** Key of the JSON error body used as is, not dashed (`api_key_brownout`); wins over `resource`. */
  errorKey: string | undefined
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(messages.join('; '))
    this.name = 'ApiError'
  }
}
