// The published entry for `require('nest-articles')`: the build's main module.
module.exports = require('./dist/main')
