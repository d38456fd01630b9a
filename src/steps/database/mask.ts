// Passwords never reach the screen or the log: every text this step shows goes through here.
// The engine's rule (src/engine/mask.ts): URLs' passwords where they stand, and the password
// itself anywhere only when it is distinctive (a password `devsetup` must not turn the
// database name `devsetup-api` into `***-api`).
export { maskSecrets } from '../../engine/mask.js'
