// Settings are read from settings.json in the project's root (one above server/), over these defaults.
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..', '..')
const file = path.join(root, process.env.NOTES_SETTINGS || 'settings.json')
const defaults = { title: 'Notes', port: process.env.PORT || 9001 }

function load() {
  try {
    const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')
    return { ...defaults, ...JSON.parse(text) }
  } catch {
    console.warn(`No settings file found in ${file}. Continuing using defaults!`)
    return defaults
  }
}

module.exports = load()
