/**
 * `keyshift agent`, for wiring into the CLI: `agentCommand` (a Command for the command tree),
 * `runAgent(options)` (the agent as a process) and `buildAgent(options)` (the agent as a value).
 */
export { type Agent, type AgentOptions, buildAgent } from './app.ts'
export { agentCommand, agentOptionsFromArgs } from './command.ts'
export { loadConfig, parseConfig } from './config/load.ts'
export type { AgentConfig, Env } from './config/types.ts'
export { AGENT_ERROR_CODES, AgentError, type AgentErrorCode } from './errors.ts'
export { configSummary, type RunAgentOptions, runAgent, type SignalSource } from './main.ts'
export { createLogger, LOG_LEVELS, type LogLevel } from './telemetry/logger.ts'
