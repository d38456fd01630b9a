// An existing bin/setup, read by init: what no step covers is carried over (naming its line),
// what the steps do is not repeated, and what resets data or rewrites the lockfile is left out.
import { describe, expect, it } from 'vitest'
import { namedConfigCopies } from '../../src/init/named-config.js'
import { binSetup } from '../../src/init/providers/bin-setup.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const carry = (script: string) => {
  const repo = new RepoProbe(tempRepo({ 'bin/setup': script }))
  return binSetup.contribute({ repo, example: undefined, dockerRuns: () => false })
}

describe('bin/setup carry-over', () => {
  it("the classic shell script is all steps already: nothing carried, db:setup is the database step's", () => {
    const { steps, notes } = carry(`#!/bin/sh
set -e
cd "$(dirname "$0")/.."
brew bundle check >/dev/null 2>&1 || brew bundle
rbenv install -s $(cat .ruby-version)
gem install bundler
bundle check || bundle install
bin/rake db:setup
rm -f log/*
rm -rf tmp/cache
touch tmp/restart.txt
`)
    expect(steps).toEqual([])
    expect(notes).toEqual([])
  })

  it("Rails' Ruby script: an uncovered command with its heading and line; a reset and a lockfile rewrite left out", () => {
    const { steps, notes } = carry(`#!/usr/bin/env ruby
require "fileutils"
FileUtils.chdir APP_ROOT do
  system("bundle check") || system!("bundle install")
  system! "bundle update --bundler"
  puts "\\n== Building Tailwind =="
  system! "rails tailwindcss:build"
  system! "bin/rails db:reset"
  system! "bin/rails log:clear tmp:clear"
  # system "ln -nfs #{APP_ROOT} ~/.puma-dev/#{APP_NAME}"
  system! "bin/rails db:test:prepare"
end
`)
    expect(steps).toEqual([
      expect.objectContaining({
        why: 'from bin/setup:7, which no other step covers',
        flat: { name: 'Building Tailwind', run: 'bin/rails tailwindcss:build', inputs: ['bin/setup'] },
      }),
    ])
    expect(notes).toEqual([
      'bin/setup:5 runs `bundle update --bundler`, which rewrites Gemfile.lock: not carried over',
      'bin/setup:8 runs `bin/rails db:reset`, which resets data: not carried over',
      // human-essentials: its test database's role is the OS user, which devsetup never made.
      'bin/setup:11 runs `bin/rails db:test:prepare`, for the test database: not a development step, not carried over',
    ])
  })

  it('starting the dev server is not carried (a run step would never end); a Ruby string keeps its escaped quotes', () => {
    const { steps } = carry(`#!/usr/bin/env ruby
FileUtils.chdir APP_ROOT do
  system! "bundle config set path \\"vendor/bundle\\""
  system! "bin/rails server -p 8080"
  system! "foreman start -f Procfile.dev"
  exec "bin/dev"
end
`)
    expect(steps?.map((s) => s.flat?.run)).toEqual(['bundle config set path "vendor/bundle"'])
  })

  it("a here-document's lines are its command's input, not commands; its copies are made by the copy steps", () => {
    // The shape of codimd's bin/setup: help text printed with `cat << EOF`, a copy of an example
    // that has no extension (`.sequelizerc`).
    const script = `#!/bin/bash
set -e
if ! type npm > /dev/null; then
cat << EOF
npm is not installed, please install Node.js and npm.
EOF
exit 1
fi
cp .sequelizerc.example .sequelizerc
psql -d app <<-'SQL'
  CREATE TABLE notes (id int);
	SQL
cat << EOF
* config.json           -- CodiMD config
EOF
npm run build
`
    const { steps, notes } = carry(script)
    expect(steps?.map((s) => s.flat?.run)).toEqual(['npm run build'])
    expect(notes).toEqual([
      "bin/setup:10 runs `psql -d app <<-'SQL'` with a here-document as its input: not carried over; add a `run` step if it is a setup step",
    ])
    const repo = new RepoProbe(
      tempRepo({ 'bin/setup': script, '.sequelizerc.example': 'module.exports = {}\n' }),
    )
    expect(namedConfigCopies(repo)).toEqual([
      {
        example: '.sequelizerc.example',
        target: '.sequelizerc',
        why: 'bin/setup:9 `cp .sequelizerc.example .sequelizerc`',
      },
    ])
  })
})
