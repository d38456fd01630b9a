module.exports.config = { Port: 3333, ConfigPath: './config', MetadataPath: './metadata' }
