// Stands in for graceful-fs inside the bundle (proper-lockfile's fs). graceful-fs patches fs at
// load time to queue and retry on EMFILE (too many open files), which the lock's few
// mkdir/stat/utimes/rmdir calls never meet; loading it cost about 10 ms of every `up`.
module.exports = require('node:fs')
