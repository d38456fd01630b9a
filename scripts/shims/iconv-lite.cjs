// Stands in for iconv-lite inside the bundle (mysql2 requires it for its charset decoding).
// devsetup only exchanges database names and short status text with MySQL, so Node's own
// encodings are enough, and the bundle is 550 kB smaller, which every run pays for at start.
const { StringDecoder } = require('node:string_decoder')

const aliases = {
  utf8: 'utf8',
  utf8mb4: 'utf8',
  utf8mb3: 'utf8',
  cesu8: 'utf8',
  latin1: 'latin1',
  binary: 'latin1',
  cp1252: 'latin1',
  iso88591: 'latin1',
  ascii: 'ascii',
  usascii: 'ascii',
  ucs2: 'utf16le',
  utf16le: 'utf16le',
}

function nodeEncoding(name) {
  const encoding =
    aliases[
      String(name)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
    ]
  if (!encoding)
    throw new Error(`devsetup does not speak the ${name} character set; use utf8mb4 for the connection`)
  return encoding
}

exports.getDecoder = (name) => {
  const decoder = new StringDecoder(nodeEncoding(name))
  return { write: (buffer) => decoder.write(buffer), end: () => decoder.end() }
}
exports.getEncoder = (name) => {
  const encoding = nodeEncoding(name)
  return { write: (text) => Buffer.from(text, encoding), end: () => undefined }
}
exports.encodingExists = (name) => {
  try {
    nodeEncoding(name)
    return true
  } catch {
    return false
  }
}
exports.decode = (buffer, name) => buffer.toString(nodeEncoding(name))
exports.encode = (text, name) => Buffer.from(text, nodeEncoding(name))
