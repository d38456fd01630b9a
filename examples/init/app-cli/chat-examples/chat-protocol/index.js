module.exports = { kinds: ['message', 'user'] }
