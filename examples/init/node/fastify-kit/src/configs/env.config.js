import { envSchema } from 'env-schema'

// The env file of the environment the process runs in.
const getEnvFilePath = () => {
  const env = process.env.ENV_NAME || 'development'
  return env === 'development' ? 'configs/.env' : `configs/.env.${env}`
}

export const ENV_CONFIG = envSchema({
  schema: { type: 'object', properties: { HTTP_PORT: { type: 'integer' } } },
  dotenv: { path: getEnvFilePath() },
})
