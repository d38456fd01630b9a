// Stands in for mysql2's lib/constants/errors.js inside the bundle: a table of every MySQL
// error name both ways (145 kB, 41% of the driver and a third of the npm package's growth).
// mysql2 only uses it to name a server error (`err.code`) and, in pool and server code devsetup
// never runs, to compare a few numbers. devsetup tells these errors apart by name
// (src/steps/database/mysql.ts); any other error keeps the server's own message and is named
// by its number (`ER_1146`). The names below are checked against the real table by the build.
const names = {
  ER_DB_CREATE_EXISTS: 1007,
  ER_DBACCESS_DENIED_ERROR: 1044,
  ER_ACCESS_DENIED_ERROR: 1045,
  ER_BAD_DB_ERROR: 1049,
  HA_ERR_INTERNAL_ERROR: 122,
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 1227,
  ER_NOT_SUPPORTED_AUTH_MODE: 1251,
  ER_WARN_DEPRECATED_SYNTAX: 1287,
  ER_OPTION_PREVENTS_STATEMENT: 1290,
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: 1792,
  ER_READ_ONLY_MODE: 1836,
}
const table = { ...names }
for (const [name, number] of Object.entries(names)) table[number] = name
module.exports = new Proxy(table, {
  get: (target, key) =>
    target[key] ?? (typeof key === 'string' && /^\d+$/.test(key) ? `ER_${key}` : undefined),
})
