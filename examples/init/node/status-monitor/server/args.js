module.exports = (argv) => Object.fromEntries(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')))
