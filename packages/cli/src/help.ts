/** Help text and `--help --json`, both rendered from the command's own option table. */
import { type Command, type CommandGroup, commandOptions, type OptionSpec } from './command.ts'

const MAX_LABEL = 30
const WIDTH = 100

/** Splits `text` into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

/** Two aligned columns; long labels get their text on the next line, long texts wrap. */
function columns(rows: [string, string][]): string[] {
  const width = Math.min(MAX_LABEL, Math.max(0, ...rows.map(([label]) => label.length)))
  const indent = ' '.repeat(width + 4)
  return rows.map(([label, text]) => {
    const [first = '', ...more] = wrap(text, Math.max(40, WIDTH - indent.length))
    const head =
      label.length > width ? `  ${label}\n${indent}${first}` : `  ${label.padEnd(width + 2)}${first}`
    return [head.trimEnd(), ...more.map((line) => `${indent}${line}`)].join('\n')
  })
}

function optionLabel(name: string, spec: OptionSpec): string {
  const flag = spec.value === undefined ? `--${name}` : `--${name} ${spec.value}`
  return spec.short === undefined ? flag : `-${spec.short}, ${flag}`
}

function optionText(spec: OptionSpec): string {
  const extra = [
    spec.env === undefined ? '' : ` [env: ${spec.env}]`,
    spec.default === undefined ? '' : ` [default: ${spec.default}]`,
  ]
  return `${spec.description}${extra.join('')}`
}

/** Human help of one command. `path` is its full name, e.g. `keyshift admin clients create`. */
export function commandHelp(command: Command, path: string): string {
  const lines = [`Usage: ${path} ${command.usage}`.trimEnd(), '', command.summary]
  if (command.description !== undefined) lines.push('', ...command.description)
  if (command.positionals !== undefined && command.positionals.length > 0) {
    lines.push('', 'Arguments:', ...columns(command.positionals.map((p) => [`<${p.name}>`, p.description])))
  }
  const options = Object.entries(commandOptions(command))
  lines.push(
    '',
    'Options:',
    ...columns(options.map(([name, spec]) => [optionLabel(name, spec), optionText(spec)])),
  )
  if (command.environment !== undefined) {
    lines.push('', 'Environment:', ...columns(Object.entries(command.environment)))
  }
  if (command.examples !== undefined) {
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`))
  }
  return `${lines.join('\n')}\n`
}

/** Human help of a group of commands, e.g. `keyshift admin`. */
export function groupHelp(group: CommandGroup, path: string): string {
  const lines = [
    `Usage: ${path} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...columns(group.commands.map((c) => [c.name, c.summary])),
    '',
    `Run '${path} <command> --help' for the options of a command.`,
  ]
  return `${lines.join('\n')}\n`
}

/** The help of a command or group as data, for `--help --json`. */
export function helpJson(node: Command | CommandGroup, path: string): unknown {
  if (node.kind === 'group') {
    return {
      command: path,
      summary: node.summary,
      commands: node.commands.map((c) => ({ name: c.name, summary: c.summary })),
    }
  }
  return {
    command: path,
    usage: `${path} ${node.usage}`.trimEnd(),
    summary: node.summary,
    arguments: node.positionals ?? [],
    options: Object.entries(commandOptions(node)).map(([name, spec]) => ({ name: `--${name}`, ...spec })),
    environment: node.environment ?? {},
  }
}
