// The app's own one-time setup from its README, the config copies the README or the code names,
// and only the app's folders in a repository of several (examples/init/app-cli/*, config-examples/*
// hold the snapshots; these tests pin what a snapshot does not show: notes, and what is left out).
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { detect } from '../../src/init/detect.js'
import { readmeCommands } from '../../src/init/readme-commands.js'
import { RepoProbe } from '../../src/init/repo.js'
import { repoRoot, tempRepo } from '../helpers.js'

const example = (name: string) => path.join(repoRoot, 'examples', 'init', name)
const runs = (dir: string) =>
  detect(dir, { dockerRuns: () => false }).steps.flatMap((s) => (s.flat?.run ? [String(s.flat.run)] : []))
const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'app', scripts })

describe('README commands', () => {
  it('keep the folder of a `cd` in the same block, and a subshell’s folder only for itself', () => {
    const dir = tempRepo({
      'client/package.json': '{}',
      'README.md': [
        '## Development',
        '```sh',
        'git clone https://example.com/app',
        'cd app',
        'npm ci',
        'cd client && npm ci',
        'npm run generate',
        '```',
        'Rebuild with `(cd client; npm run generate)`, then `npm run dev`.',
        '',
        '## Deployment',
        '',
        '    npm run build',
      ].join('\n'),
    })
    const commands = readmeCommands(new RepoProbe(dir)).map((c) => [c.line, c.text, c.cwd, c.setup])
    expect(commands).toEqual([
      [3, 'git clone https://example.com/app', '', true],
      // The clone's own folder is the repository, not a subfolder of it.
      [5, 'npm ci', '', true],
      [6, 'npm ci', 'client', true],
      [7, 'npm run generate', 'client', true],
      [9, 'npm run generate', 'client', true],
      [9, 'npm run dev', '', true],
      [13, 'npm run build', '', false],
    ])
  })
})

describe('README sections', () => {
  it('a production section is not the setup, also when it says "prod" (my-links: `## Start as prod`)', () => {
    const dir = tempRepo({
      'README.md': '## Getting started\n\n```\nnpm ci\n```\n\n### Start as prod\n\n```\nnpm run build\n```\n',
    })
    expect(readmeCommands(new RepoProbe(dir)).map((c) => [c.text, c.setup])).toEqual([
      ['npm ci', true],
      ['npm run build', false],
    ])
  })
})

describe("the README's one-time setup", () => {
  it('splits a setup that re-installs at its `npm run` parts: the rest becomes steps, client/ its own install', () => {
    const detection = detect(example('app-cli/start-page'), { dockerRuns: () => false })
    expect(detection.steps.map((s) => `${s.slot}${s.cwd ? ` (${s.cwd})` : ''}`)).toEqual([
      'dependencies',
      'dependencies@client (client)',
      'run: npm run dir-init',
      'restart',
    ])
    // `npm install` again after the recipe's `npm ci` would rewrite the lockfile: never written.
    expect(runs(example('app-cli/start-page'))).not.toContain('npm run dev-init')
  })

  it('takes a build from inline commands, its output from the workspace package’s --outDir, and says what it cannot decide', () => {
    const detection = detect(example('app-cli/pad-editor'), { dockerRuns: () => false })
    const build = detection.steps.find((s) => s.flat?.run === 'pnpm run build:pad')
    expect(build?.flat?.creates).toBe('src/templates/admin')
    // Production, the plugins' section and a global install are not the setup.
    expect(runs(example('app-cli/pad-editor'))).toEqual(['pnpm run build:pad', 'pnpm run fetch:fonts'])
    expect(detection.notes).toContainEqual(
      expect.stringMatching(
        /^README.md:18 `pnpm run fetch:fonts`: could not tell what it makes.*package.json or pnpm-lock.yaml changes/,
      ),
    )
  })

  it('never takes a script that runs a file which listens (the server under another name) for a setup', () => {
    const dir = tempRepo({
      'package.json': pkg({
        'start-app': 'cd backend && node server.js',
        'make-dirs': 'mkdir -p uploads',
        'start-server': 'cd backend && nodemon server.js',
      }),
      'package-lock.json': '{}',
      'backend/server.js': "const app = require('express')()\napp.listen(3000)\n",
      'README.md': '## Setup\n\n```\nnpm run make-dirs\nnpm run start-app\n```\n',
    })
    expect(runs(dir)).toEqual(['npm run make-dirs'])
  })

  it('CONTRIBUTING.md: not its CI or formatting sections, not a formatter, not a server behind cross-env or flags', () => {
    const dir = tempRepo({
      'package.json': pkg({
        fmt: 'prettier --write "**/*.{js,vue}"',
        'start-frontend-dev': 'cross-env NODE_ENV=development vite --host --config ./config/vite.config.js',
        'start-server-dev': 'cross-env NODE_ENV=development node server/server.js',
        'setup-dirs': 'mkdir -p data/upload',
        'build-docs': 'node docs/build.js',
      }),
      'package-lock.json': '{}',
      'server/server.js': "const http = require('http')\nhttp.createServer().listen(3001)\n",
      'CONTRIBUTING.md': [
        '# Contributing',
        '',
        '## Development',
        '',
        '```',
        'npm run setup-dirs',
        'npm run start-frontend-dev',
        'npm run start-server-dev',
        '```',
        '',
        'For production it is compiled to `dist` via `npm run build-docs` instead.',
        '',
        '## Continuous Integration',
        '',
        '- Formatting: `npm run fmt`',
        '- Docs: `npm run build-docs`',
      ].join('\n'),
    })
    expect(runs(dir)).toEqual(['npm run setup-dirs'])
  })

  it("never takes the database step's work or a generator that asks questions for a setup", () => {
    const dir = tempRepo({
      'package.json': pkg({
        'database:push': 'drizzle-kit push --config=infra/drizzle.config.js',
        'generate:module': 'plop module',
        'gen:api': 'openapi-typescript api.yaml -o src/api.d.ts',
      }),
      'package-lock.json': '{}',
      'README.md': '## Setup\n\n```\nnpm run database:push\nnpm run generate:module\nnpm run gen:api\n```\n',
    })
    expect(runs(dir)).toEqual(['npm run gen:api'])
  })

  it('notes, and does not write, a setup script that mixes an install with commands of its own', () => {
    const dir = tempRepo({
      'package.json': pkg({ bootstrap: 'npm install && mkdir -p uploads', dev: 'node server.js' }),
      'package-lock.json': '{}',
      'README.md': '## Setup\n\n```\nnpm run bootstrap\n```\n',
    })
    const detection = detect(dir, { dockerRuns: () => false })
    expect(runs(dir)).toEqual([])
    expect(detection.notes).toContain(
      'README.md:4 `npm run bootstrap` runs `npm install && mkdir -p uploads`, which re-installs what the dependencies step installs, among other commands: not written; run the rest yourself once',
    )
  })

  it('skips tests, linters, migrations and the dev server the README also lists', () => {
    const dir = tempRepo({
      'package.json': pkg({
        dev: 'nodemon index.js',
        'start:dev': 'nest start --watch',
        test: 'jest',
        lint: 'eslint .',
        'db:migrate': 'knex migrate:latest',
        'docker:up': 'docker compose up -d',
        'assets:build': 'mkdir -p public/assets',
      }),
      'README.md': [
        '## Getting started',
        '```',
        ...['dev', 'start:dev', 'test', 'lint', 'db:migrate', 'docker:up', 'assets:build'].map(
          (s) => `npm run ${s}`,
        ),
        '```',
      ].join('\n'),
    })
    expect(runs(dir)).toEqual(['npm run assets:build'])
  })
})

describe('config copies the README or the code names', () => {
  /** An app whose README's install section holds `readme`, beside `files`. */
  const appWith = (readme: string, files: Record<string, string>) =>
    tempRepo({ 'package.json': pkg({}), 'README.md': `## Install\n\n${readme}\n`, ...files })

  it('never copies over a file that exists', () => {
    const dir = appWith('    cp src/config.ts.example src/config.ts', {
      'src/config.ts.example': 'export const a = 1\n',
      'src/config.ts': 'export const a = 2\n',
      'src/main.ts': "import { a } from './config'\n",
    })
    expect(runs(dir)).toEqual([])
  })

  it('copies into a folder named as the target, and leaves a .env copy to the dotenv step', () => {
    const dir = appWith('```\ncp docs/settings.sample.js config/\ncp .env.sample .env\n```', {
      'config/.gitkeep': '',
      'docs/settings.sample.js': 'module.exports = {}\n',
      '.env.sample': 'A=1\n',
    })
    expect(runs(dir)).toEqual(['cp docs/settings.sample.js config/settings.sample.js'])
  })
})

describe("a repository of several apps: only the app's folders", () => {
  it('names the folders it does not set up, with their install and a lockfile that resolves from localhost', () => {
    const detection = detect(example('app-cli/chat-examples'), { dockerRuns: () => false })
    expect(detection.steps.map((s) => s.cwd)).not.toContain('web-chat')
    expect(detection.notes).toContain(
      'not set up: web-chat/ (its own app, started with `npm start`; `cd web-chat && npm ci`); web-chat/package-lock.json:16 resolves a package from http://localhost:3030/chat-api-0.1.0.tgz: it cannot be installed before that server runs here',
    )
  })

  it('sets up every folder when none has a dev server to start', () => {
    const dir = tempRepo({
      'lib-a/package.json': pkg({ build: 'tsc' }),
      'lib-b/package.json': pkg({ build: 'tsc' }),
    })
    const folders = detect(dir, { dockerRuns: () => false }).steps.map((s) => s.cwd)
    expect(folders).toEqual(expect.arrayContaining(['lib-a', 'lib-b']))
  })
})
