/**
 * The shape of a command: one table of options drives parsing (node:util parseArgs), the help
 * text and `--help --json`.
 */

import { type ParseArgsConfig, parseArgs } from 'node:util'
import { CliError } from './errors.ts'
import type { NetworkSettings } from './network/settings.ts'

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Placeholder shown in help: `--url URL`. */
  value?: string
  description: string
  env?: string
  default?: string
  short?: string
  /** May be given more than once; its value is then the list of every value given. */
  multiple?: boolean
}

export type OptionTable = Record<string, OptionSpec>

export interface Io {
  stdout(text: string): void
  stderr(text: string): void
}

/** `main` of `@keyshift/server/main`: parses its own flags and listens. */
export type ServeMain = (argv: string[], env: NodeJS.ProcessEnv) => Promise<void>

/** `main` of `@keyshift/server/demo-generate`: parses its own flags and appends invoices to a store. */
export type DemoGenerateMain = (argv: string[]) => Promise<void>

/** Everything a command may touch; tests replace any part of it. */
export interface Context {
  env: NodeJS.ProcessEnv
  io: Io
  /** The global `fetch`, through HTTPS_PROXY / HTTP_PROXY / NO_PROXY when they are set. */
  fetch: typeof fetch
  /** A `fetch` through other network settings: `--ca-file`, an instance's proxy and ca_file. */
  connect(settings: NetworkSettings): typeof fetch
  now: () => Date
  loadServer: () => Promise<ServeMain>
  loadDemoGenerate: () => Promise<DemoGenerateMain>
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export interface Command {
  kind: 'command'
  name: string
  summary: string
  /** Usage after the command path, e.g. `--url URL --client-id ID [options]`. */
  usage: string
  description?: string[]
  options: OptionTable
  /** Positional arguments; exactly these are required, unless the last one is `repeatable`. */
  positionals?: PositionalSpec[]
  environment?: Record<string, string>
  examples?: string[]
  /** Hand the arguments to `run` unparsed (serve and demo generate parse their own). */
  passThrough?: boolean
  run(context: Context, args: ParsedArgs): Promise<void>
}

export interface PositionalSpec {
  name: string
  description: string
  /** Zero or more of it (the last positional only): `KEY_ID…`. */
  repeatable?: boolean
}

export interface CommandGroup {
  kind: 'group'
  name: string
  summary: string
  commands: (Command | CommandGroup)[]
}

/** Options every command has. */
export const COMMON_OPTIONS: OptionTable = {
  json: { type: 'boolean', description: 'machine output: print JSON (with --help: this help as JSON)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
}

export function commandOptions(command: Command): OptionTable {
  return command.passThrough
    ? { ...command.options, help: COMMON_OPTIONS.help as OptionSpec }
    : { ...command.options, ...COMMON_OPTIONS }
}

/** An argument as it may appear in a message: an option's name without its value. */
export function describeArg(arg: string): string {
  return arg.startsWith('-') ? (arg.split('=')[0] ?? arg) : arg
}

function toParseArgsOptions(table: OptionTable): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, spec] of Object.entries(table)) {
    options[name] = {
      type: spec.type,
      ...(spec.short !== undefined && { short: spec.short }),
      ...(spec.multiple === true && { multiple: true }),
    }
  }
  return options
}

/** Turns a parseArgs error into KS_USAGE without echoing any value from the command line. */
function usageFromParseError(error: unknown, path: string): CliError {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const option = /'(-[^' ]*)/.exec(message)?.[1]
  let text: string
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') text = `unknown option '${describeArg(option ?? '?')}'`
  else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(message))
    text = `option '${describeArg(option ?? '?')}' does not take a value`
  else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    text = `option '${describeArg(option ?? '?')}' needs a value (use --name=value for a value that starts with '-')`
  else text = 'cannot parse the arguments'
  return new CliError('KS_USAGE', `${text}; run '${path} --help'`, { cause: error })
}

/** Parses `argv` against the command's table and checks the positional arguments. */
export function parseCommandArgs(command: Command, argv: string[], path: string): ParsedArgs {
  let parsed: ParsedArgs
  try {
    // Every value is a string or a boolean, or a list of strings for a `multiple` option.
    parsed = parseArgs({
      args: argv,
      options: toParseArgsOptions(commandOptions(command)),
      allowPositionals: true,
      strict: true,
    }) as ParsedArgs
  } catch (error) {
    throw usageFromParseError(error, path)
  }
  if (parsed.values.help === true) return parsed
  const expected = command.positionals ?? []
  const required = expected.filter((p) => p.repeatable !== true)
  const names = expected.map((p) => (p.repeatable === true ? `[<${p.name}>…]` : `<${p.name}>`)).join(' ')
  if (parsed.positionals.length < required.length) {
    throw new CliError('KS_USAGE', `missing ${names}; run '${path} --help'`)
  }
  if (expected.at(-1)?.repeatable !== true && parsed.positionals.length > expected.length) {
    const what = expected.length === 0 ? 'takes no arguments' : `takes only ${names}`
    throw new CliError('KS_USAGE', `too many arguments: '${path}' ${what}; run '${path} --help'`)
  }
  return parsed
}

export function stringArg(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

/** Every value of a `multiple` option, in the order given. */
export function repeatedArg(args: ParsedArgs, name: string): string[] {
  const value = args.values[name]
  if (Array.isArray(value)) return value
  return typeof value === 'string' ? [value] : []
}

export function flagArg(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}

export function requireArg(args: ParsedArgs, name: string, path: string): string {
  const value = stringArg(args, name)
  if (value === undefined || value === '') {
    throw new CliError('KS_USAGE', `missing --${name}; run '${path} --help'`)
  }
  return value
}

/** A space- or comma-separated list, as `--scopes "a b c"`. */
export function listArg(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '')
}
