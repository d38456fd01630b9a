// The settings a person writes on first run; nothing in the repository holds them.
const { readFileSync } = require('fs')
const YAML = require('yaml')
module.exports = YAML.parse(readFileSync(process.env.SETTINGS_FILE || 'settings.yml', 'utf8'))
