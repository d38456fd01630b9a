// The production defaults (categories only). Never part of a development setup.
if (!process.env.CONFIRM_PRODUCTION_SEED) {
  throw new Error('set CONFIRM_PRODUCTION_SEED to seed production')
}
