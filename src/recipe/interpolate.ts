// ${VAR} interpolation: from the recipe's env and the process environment, then (for a step
// after a dotenv step) from the env files that step manages (env-file-scope.ts), then from the
// env files a restart step names in `env_files:` (server-env-scope.ts).
// `$${` is a literal `${`; `${VAR:-default}` falls back when VAR is unset or empty.
// An undefined variable without a default is an error that names it.

export class UndefinedVariableError extends Error {
  constructor(readonly variable: string) {
    super(`undefined variable \`${variable}\``)
  }
}

const pattern = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g

/**
 * `used`, when given, collects every variable name looked up (what the recipe cache keys on);
 * `lastly` gives a value for a name `scope` does not define.
 */
export function interpolate(
  text: string,
  scope: Readonly<Record<string, string | undefined>>,
  used?: Set<string>,
  lastly?: (name: string) => string | undefined,
): string {
  if (!text.includes('${')) return text
  return text.replace(pattern, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${'
    if (name === undefined) {
      throw new SyntaxError(
        `malformed variable reference \`${match}\`: write \${NAME}, \${NAME:-default}, or $\${ for a literal`,
      )
    }
    used?.add(name)
    const value = scope[name] ?? lastly?.(name)
    if (value !== undefined && (value !== '' || fallback === undefined)) return value
    if (fallback !== undefined) return fallback
    throw new UndefinedVariableError(name)
  })
}
