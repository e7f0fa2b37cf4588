/**
 * The agent's logger: JSON lines in pino's shape (`logger.info({ fields }, 'message')`), the same
 * interface @keyshift/client logs to. Callers never pass a secret or a token, only fingerprints.
 */
import type { Logger } from '@keyshift/client'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: 100 }

export interface AgentLogger extends Logger {
  child(fields: object): AgentLogger
  /** Whether a line at `level` is written: lets a hot path skip building fields nobody reads. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean
}

export interface LoggerOptions {
  /** Where each line goes (the CLI passes its stderr). */
  write(line: string): void
  level?: LogLevel
  /** Wall clock for `time`; default `Date.now`. */
  now?: () => number
}

function errorFields(fields: object): object {
  // An Error's own properties do not survive JSON.stringify; keep its code and message only.
  const error = (fields as { error?: unknown }).error
  if (!(error instanceof Error)) return fields
  const code = (error as { code?: unknown }).code
  return {
    ...fields,
    error: { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message },
  }
}

/** A logger writing one JSON object per line: `{"level":"info","time":…,"msg":…,…fields}`. */
export function createLogger(options: LoggerOptions, bound: object = {}): AgentLogger {
  const threshold = RANK[options.level ?? 'info']
  const now = options.now ?? Date.now

  function log(level: Exclude<LogLevel, 'silent'>, fields: object, message?: string): void {
    if (RANK[level] < threshold) return
    const line = {
      level,
      time: new Date(now()).toISOString(),
      msg: message,
      ...bound,
      ...errorFields(fields),
    }
    options.write(`${JSON.stringify(line)}\n`)
  }

  return {
    debug: (fields, message) => log('debug', fields, message),
    info: (fields, message) => log('info', fields, message),
    warn: (fields, message) => log('warn', fields, message),
    error: (fields, message) => log('error', fields, message),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
    enabled: (level) => RANK[level] >= threshold,
  }
}
