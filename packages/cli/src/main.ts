/**
 * Entry point of the `keyshift` command: walks the command tree, runs one command, renders any
 * error. The only file that reads the process (stdout, stderr, fetch, clock) — and only as defaults.
 */

import { readFileSync } from 'node:fs'
import { agentCommand } from './agent/index.ts'
import { type Command, type CommandGroup, type Context, describeArg, parseCommandArgs } from './command.ts'
import { adminGroup } from './commands/admin.ts'
import { callCommand } from './commands/call.ts'
import { demoGroup, loadDemoGenerateMain } from './commands/demo.ts'
import { initCommand } from './commands/init.ts'
import { keysGroup } from './commands/keys.ts'
import { postmanCommand } from './commands/postman.ts'
import { loadServerMain, serveCommand } from './commands/serve.ts'
import { tokenCommand } from './commands/token.ts'
import { transitionGroup } from './commands/transition.ts'
import { CliError, type ErrorCode, TokenErrorResponse } from './errors.ts'
import { commandHelp, groupHelp, helpJson } from './help.ts'
import { connect, environmentFetch } from './network/lazy.ts'
import { json } from './output.ts'

export const rootGroup: CommandGroup = {
  kind: 'group',
  name: 'keyshift',
  summary: 'Keyshift: move API integrations from static API keys to OAuth 2.0 client credentials',
  commands: [
    initCommand,
    serveCommand,
    tokenCommand,
    callCommand,
    postmanCommand,
    agentCommand,
    adminGroup,
    transitionGroup,
    keysGroup,
    demoGroup,
  ],
}

const HELP = new Set(['--help', '-h', 'help'])

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

function printHelp(context: Context, node: Command | CommandGroup, path: string, argv: string[]): void {
  if (argv.includes('--json')) context.io.stdout(json(helpJson(node, path)))
  else context.io.stdout(node.kind === 'group' ? groupHelp(node, path) : commandHelp(node, path))
}

async function runCommand(context: Context, command: Command, argv: string[], path: string): Promise<void> {
  if (command.passThrough) {
    const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length)
    if (options.some((arg) => arg === '--help' || arg === '-h')) printHelp(context, command, path, argv)
    else await command.run(context, { values: {}, positionals: argv })
    return
  }
  const args = parseCommandArgs(command, argv, path)
  if (args.values.help === true) printHelp(context, command, path, argv)
  else await command.run(context, args)
}

async function dispatch(context: Context, group: CommandGroup, argv: string[], path: string): Promise<void> {
  const [first, ...rest] = argv
  const names = group.commands.map((c) => c.name).join(', ')
  if (first === undefined) {
    throw new CliError('KS_USAGE', `missing command: expected one of ${names}; run '${path} --help'`)
  }
  if (HELP.has(first)) return printHelp(context, group, path, rest)
  if (group === rootGroup && (first === '--version' || first === '-v')) {
    context.io.stdout(`${version()}\n`)
    return
  }
  const node = group.commands.find((c) => c.name === first)
  if (node === undefined) {
    throw new CliError(
      'KS_USAGE',
      `unknown command '${describeArg(first)}' for '${path}': expected one of ${names}; run '${path} --help'`,
    )
  }
  const nodePath = `${path} ${node.name}`
  if (node.kind === 'group') return dispatch(context, node, rest, nodePath)
  return runCommand(context, node, rest, nodePath)
}

function causes(error: unknown): string[] {
  const lines: string[] = []
  for (let cause = (error as { cause?: unknown }).cause; cause !== undefined; ) {
    lines.push(`  caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`)
    cause = cause instanceof Error ? cause.cause : undefined
  }
  return lines
}

/** The one place that prints an error. Returns the exit code. */
export function renderError(error: unknown, context: Context): number {
  const lines: string[] = []
  let exitCode = 1
  if (error instanceof TokenErrorResponse) {
    lines.push(`error: ${error.message}`)
    if (error.hint !== undefined) lines.push(`hint: ${error.hint}`)
  } else if (error instanceof CliError) {
    lines.push(`keyshift: ${error.code}: ${error.message}`, ...error.details.map((line) => `  ${line}`))
    if (error.hint !== undefined) lines.push(`hint: ${error.hint}`)
    exitCode = error.exitCode
  } else {
    const code: ErrorCode = 'KS_INTERNAL'
    lines.push(`keyshift: ${code}: ${error instanceof Error ? error.message : String(error)}`)
  }
  // Causes may quote server answers; they are shown only on request.
  if (context.env.KEYSHIFT_DEBUG) lines.push(...causes(error))
  context.io.stderr(`${lines.join('\n')}\n`)
  return exitCode
}

function defaultContext(env: NodeJS.ProcessEnv): Context {
  return {
    env,
    io: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    },
    fetch: environmentFetch(env),
    connect,
    now: () => new Date(),
    loadServer: loadServerMain,
    loadDemoGenerate: loadDemoGenerateMain,
  }
}

/**
 * Runs `keyshift <argv>`. Resolves with the exit code: 0, 1 for a failure, 2 for a usage error.
 * `overrides` replaces parts of the context (tests pass `fetch`, `io`, `now`, `loadServer`,
 * `loadDemoGenerate`).
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  overrides: Partial<Context> = {},
): Promise<number> {
  const context: Context = { ...defaultContext(env), ...overrides }
  try {
    await dispatch(context, rootGroup, argv, 'keyshift')
    return 0
  } catch (error) {
    return renderError(error, context)
  }
}
