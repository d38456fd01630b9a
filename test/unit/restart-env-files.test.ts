// `restart`'s `env_files:`: env files the server loads that no dotenv step writes (a committed
// configs/.env the app loads by path). They join the dotenv steps' files in ONE list, the one the
// server's record hashes and the check compares (env-file-links.ts).
import { describe, expect, it } from 'vitest'
import { RecipeError } from '../../src/errors.js'
import { envFilesOf } from '../../src/recipe/env-file-links.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { allSteps } from '../../src/recipe/types.js'

const restartOf = (text: string) => {
  const steps = allSteps(parseRecipe('/repo/devsetup.yml', text, {}))
  return steps.find((s) => s.type === 'restart')!.config as object
}

function problemsOf(text: string): string {
  try {
    parseRecipe('/repo/devsetup.yml', text, {})
  } catch (error) {
    if (error instanceof RecipeError) return error.problems.map((p) => p.message).join('\n')
    throw error
  }
  throw new Error('expected a RecipeError')
}

describe('restart env_files', () => {
  it('joins the dotenv steps’ files, relative to the step’s cwd, in one list without repeats', () => {
    const config = restartOf(`version: 1
steps:
  - dotenv:
    cwd: api
  - restart:
      start: node server.js
      env_files: [configs/.env, .env, config/.env.development]
    cwd: api
`)
    expect(envFilesOf(config)).toEqual(['api/.env', 'api/configs/.env', 'api/config/.env.development'])
  })

  it('takes one path as a list of one; without a dotenv step it is the whole list', () => {
    const config = restartOf(`version: 1
steps:
  - restart:
      start: node src/index.ts
      env_files: configs/.env
`)
    expect(envFilesOf(config)).toEqual(['configs/.env'])
    expect((config as { env_files: string[] }).env_files).toEqual(['configs/.env'])
  })

  it('refuses a path leaving the repository, an empty list, and env_files without a start', () => {
    const cases: [string, RegExp][] = [
      ['start: node server.js\n      env_files: [../other/.env]', /must be a path inside the repository/],
      ['start: node server.js\n      env_files: /etc/environment', /must be a path inside the repository/],
      ['start: node server.js\n      env_files: []', /env_files/],
      ['touch: tmp/restart.txt\n      env_files: .env.local', /`env_files` needs `start`/],
    ]
    for (const [keys, problem] of cases)
      expect(problemsOf(`version: 1\nsteps:\n  - restart:\n      ${keys}\n`)).toMatch(problem)
  })
})
