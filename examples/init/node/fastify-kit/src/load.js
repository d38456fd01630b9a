// Loaded late, so that the env file is read first.
export const loadServerConfig = async () => (await import('./configs/server.config.js')).SERVER_CONFIG
