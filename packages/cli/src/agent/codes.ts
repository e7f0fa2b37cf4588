/**
 * The agent's error codes, in a file without imports so that ../errors.ts can include them in
 * ERROR_CODES (`...AGENT_ERROR_CODES`) without an import cycle. AGENT.md describes each one.
 */
export const AGENT_ERROR_CODES = [
  'KS_AGENT_CONFIG_UNREADABLE',
  'KS_AGENT_CONFIG_INVALID',
  'KS_AGENT_LISTEN_FAILED',
  'KS_AGENT_CONNECT_FAILED',
  'KS_AGENT_UNAUTHORIZED',
  'KS_AGENT_UNKNOWN_INTEGRATION',
  'KS_AGENT_NOT_FOUND',
  'KS_AGENT_METHOD_NOT_ALLOWED',
  'KS_AGENT_NOT_OAUTH',
  'KS_AGENT_TOKEN_UNAVAILABLE',
  'KS_AGENT_UPSTREAM_UNAVAILABLE',
  'KS_AGENT_UPSTREAM_TIMEOUT',
  'KS_AGENT_INTERNAL',
] as const

export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number]
