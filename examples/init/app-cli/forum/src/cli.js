// setup, start, stop, dev
console.log(process.argv.slice(2))
