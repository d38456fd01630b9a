const { cleanEnv, str, port } = require('envalid')

module.exports = cleanEnv(process.env, {
  APP_PORT: port({ default: 2001 }),
  DB_HOST: str(),
  JWT_SECRET: str(),
  MAILER_API_TOKEN: str(),
})
