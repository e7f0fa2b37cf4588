import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, Logger } from 'pino'

/**
 * A request's logger (`request.log`) that becomes a pino child of the server's logger only when a
 * line is written at a level the logger writes. Fastify makes a child per request for its request
 * id; with the redaction paths (telemetry/logger.ts) that cost about 3 % of a core API GET, for a
 * logger that at the default level writes nothing on a request that succeeds. A written line is
 * the same as the child's: the child is made then, with the same bindings and options.
 */
export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: Logger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: Logger | undefined

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.#parent.level
  }

  set level(level: LevelWithSilentOrString) {
    this.#real().level = level
  }

  isLevelEnabled(level: LevelWithSilentOrString): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level)
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args)
  }
  error(...args: unknown[]): void {
    this.#write('error', args)
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args)
  }
  info(...args: unknown[]): void {
    this.#write('info', args)
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args)
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args)
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options)
  }

  #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }

  #write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return
    const real = this.#real()
    ;(real[level] as (...a: unknown[]) => void).apply(real, args)
  }
}

/**
 * Fastify's `childLoggerFactory`: a RequestLogger, or the child itself when the route sets its own
 * level (`logLevel`), so that the level it is given is the one it writes at.
 */
export function requestLoggerFactory(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level !== undefined) return parent.child(bindings, options)
  return new RequestLogger(parent as Logger, bindings, options)
}
