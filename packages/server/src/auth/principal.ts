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
