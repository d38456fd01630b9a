// An existing bin/setup (Rails' script, or a shell one): each command it runs that no detected
// step already covers is carried over as a `run` step, with a comment naming the line it came
// from. What the other steps do (bundle install, yarn install, db:prepare, log:clear, restart,
// copying example files) is left to them; what would reset data is left out and said so.
import { type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const covered = [
  /\bgem install bundler\b/,
  /^(bin\/)?bundle (check|install)\b/,
  /\bbrew bundle\b/,
  // The runtime step installs the wanted Ruby/Node with the version manager.
  /\b(rbenv|asdf|mise|nodenv|nvm|ruby-install|frum) install\b/,
  // bin/dev installs foreman itself; a system-wide gem install as root is no setup step.
  /\bgem install (foreman|overmind)\b/,
  // The cleanup step: log/*.log and tmp/cache.
  /^rm -(r?f|fr?) (log\/|tmp\/cache)/,
  /^(bin\/)?yarn( install)?( --\S+)*$/,
  /^(npm|pnpm|bun) (install|ci|i)\b/,
  /\bdb:(prepare|migrate|create|seed|schema:load|setup)\b/,
  /\b(log|tmp):clear\b/,
  /\brestart\b|touch tmp\/restart\.txt/,
  // Starting the dev server is the restart step's; as a `run` step it would never end.
  /\b(bin\/)?rails (s|server)\b|^(exec )?bin\/dev\b|\b(foreman|overmind) start\b/,
  /^cp\s/,
  /^(echo|puts|printf)\b/,
]
const destructive = /\bdb:(reset|drop|seed:replant|truncate_all)\b|\bdropdb\b|\bmigrate:fresh\b/
// The test database (`db:test:prepare`, `RAILS_ENV=test …`): the test run prepares it (Rails
// maintains the test schema itself), and it is not what a development environment needs.
const testOnly = /\bdb:test:\w+|\b(RAILS_ENV|RACK_ENV|NODE_ENV)=test\b/
// Rewrites Gemfile.lock: a repair of the lockfile, not a setup step to repeat.
const rewrites = /\bbundle (update|lock)\b/

export const binSetup = defineProvider({
  name: 'bin-setup',
  detect: ({ repo }) => repo.has('bin/setup'),
  contribute: ({ repo }) => {
    const steps: DetectedStep[] = []
    const notes: string[] = []
    for (const { line, command, title, heredoc } of setupCommands(repo)) {
      if (heredoc) {
        notes.push(
          `bin/setup:${line} runs \`${command}\` with a here-document as its input: not carried over; add a \`run\` step if it is a setup step`,
        )
      } else if (destructive.test(command)) {
        notes.push(`bin/setup:${line} runs \`${command}\`, which resets data: not carried over`)
      } else if (testOnly.test(command)) {
        notes.push(
          `bin/setup:${line} runs \`${command}\`, for the test database: not a development step, not carried over`,
        )
      } else if (rewrites.test(command)) {
        notes.push(`bin/setup:${line} runs \`${command}\`, which rewrites Gemfile.lock: not carried over`)
      } else if (!covered.some((pattern) => pattern.test(command))) {
        steps.push({
          slot: `run: bin/setup:${line}`,
          type: 'run',
          config: undefined,
          // Done once, and again when bin/setup changes: what the script's author meant by "setup".
          // A bare `rails`/`rake` is the bundle's binstub: bin/ is not on PATH.
          flat: {
            name: title ?? command,
            run: command.replace(/^(rails|rake) /, 'bin/$1 '),
            inputs: ['bin/setup'],
          },
          why: `from bin/setup:${line}, which no other step covers`,
        })
      }
    }
    return { steps, notes }
  },
})

interface SetupCommand {
  line: number
  command: string
  /** The `puts "== Building Tailwind =="` heading above it. */
  title: string | undefined
  /** Its input is a here-document (`psql <<SQL`, `cat > config.json <<EOF`): a line alone is not the command. */
  heredoc?: true
}

// `<<EOF`, `<<-EOF`, `<< 'EOF'`: the lines up to the delimiter are the command's input, not commands
// (codimd's bin/setup prints its help text with `cat << EOF`: each line became a `run` step).
const heredocStart = /<<-?\s*(['"]?)(\w+)\1/
// `cat <<EOF` with no redirect prints: output, like echo.
const printsOnly = /^cat\s*<</

/** The commands bin/setup runs: `system!("...")` / `system "..."` in Ruby, command lines in sh. */
export function setupCommands(repo: RepoProbe): SetupCommand[] {
  const text = repo.read('bin/setup') ?? ''
  const ruby = /^#!.*\bruby\b/.test(text)
  const found: SetupCommand[] = []
  let title: string | undefined
  let inHeredoc: string | undefined
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (inHeredoc !== undefined) {
      if (line === inHeredoc) inHeredoc = undefined
      continue
    }
    // A commented-out line (`# system "ln -nfs …"` in Rails 7.2's bin/setup) runs nothing.
    if (line.startsWith('#')) continue
    const heredoc = ruby ? undefined : heredocStart.exec(line)?.[2]
    if (heredoc) {
      inHeredoc = heredoc
      if (!printsOnly.test(line)) found.push({ line: i + 1, command: line, title, heredoc: true })
      continue
    }
    const heading = /^(?:puts|echo)\s+["']\\?n?==\s*(.+?)\s*==["']/.exec(line)?.[1]
    if (heading) title = heading
    const commands = ruby
      ? // A Ruby string with its escapes (`"bundle config set path \\"vendor\\""`), unescaped.
        [...line.matchAll(/\bsystem!?\s*\(?\s*(?:"((?:[^"\\]|\\.)+)"|'((?:[^'\\]|\\.)+)')/g)].map((m) =>
          (m[1] ?? m[2]!).replace(/\\(.)/g, '$1'),
        )
      : /^[#{}]|^(if|then|else|fi|set|export|cd|exit|do|done|for|while)\b|^\w+\(\)|=/.test(line) ||
          line === ''
        ? []
        : [line]
    for (const command of commands) found.push({ line: i + 1, command, title })
  }
  return found
}
