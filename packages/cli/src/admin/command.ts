/**
 * The shape of every admin command: the admin options and environment, one call of the admin API,
 * and its answer printed as JSON (`--json`) or as text.
 */
import { type Command, flagArg, type OptionTable, type ParsedArgs, type PositionalSpec } from '../command.ts'
import { json } from '../output.ts'
import type { AdminApi } from './api.ts'
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiFromArgs, instanceUrl } from './options.ts'

/** How a command prints what the admin API answered. */
export interface Printer<Answer, Shown = Answer> {
  /** What of the answer is printed, as JSON or as text: never a secret that was not just made. */
  shown?: (answer: Answer) => Shown
  /** The text printed without `--json`; `instance` is the URL the command called. */
  format: (shown: Shown, where: { instance: URL; args: ParsedArgs }) => string
  /** Printed on stderr after the answer, e.g. that a secret is shown only this once. */
  warning?: string
}

/**
 * A list as the admin API answers it, `{ clients: […] }`: each record shown as `one` shows it, the
 * text written by `format`.
 */
export function listPrinter<Field extends string, Item>(
  field: Field,
  one: Printer<Item>,
  format: (items: Item[]) => string,
): Printer<Record<Field, Item[]>> {
  const shown = one.shown ?? ((item: Item) => item)
  return {
    shown: (list) => ({ [field]: list[field].map(shown) }) as Record<Field, Item[]>,
    format: (list) => format(list[field]),
  }
}

export interface AdminCommandSpec<Input, Answer, Shown> {
  summary: string
  /** Usage after the command path; `[options]` when it takes nothing else. */
  usage?: string
  description?: string[]
  positionals?: PositionalSpec[]
  /** Its own options, listed after the admin ones. */
  options?: OptionTable
  examples?: string[]
  /** What the command line asks for, checked before the call (the arguments themselves by default). */
  input?: (args: ParsedArgs) => Input
  call: (api: AdminApi, input: Input) => Promise<Answer>
  print: Printer<Answer, Shown>
}

/** The admin command `path` (`keyshift admin clients show`), from what sets it apart from the others. */
export function adminCommand<Input = ParsedArgs, Answer = unknown, Shown = Answer>(
  path: string,
  spec: AdminCommandSpec<Input, Answer, Shown>,
): Command {
  const { input = (args) => args as Input, call, print, usage = '[options]', options = {}, ...help } = spec
  const { shown = (answer) => answer as unknown as Shown, format, warning } = print
  return {
    kind: 'command',
    name: path.slice(path.lastIndexOf(' ') + 1),
    ...help,
    usage,
    options: { ...ADMIN_OPTIONS, ...options },
    environment: ADMIN_ENVIRONMENT,
    run: async function runAdminCommand(context, args) {
      const checked = input(args)
      const answer = shown(await call(adminApiFromArgs(context, args, path), checked))
      context.io.stdout(
        flagArg(args, 'json') ? json(answer) : format(answer, { instance: instanceUrl(context, args), args }),
      )
      if (warning !== undefined) context.io.stderr(warning)
    },
  }
}
