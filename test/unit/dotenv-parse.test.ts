// The .env parser and the merge rules of the dotenv step: which keys a file defines,
// where each definition starts and ends (with its comment), and what gets appended.
import { describe, expect, it } from 'vitest'
import { rawDefinitionLine } from '../../src/steps/dotenv/guard.js'
import { appendixFor, missingKeys, newFileFrom, secretsFor } from '../../src/steps/dotenv/merge.js'
import { dotenvKeys, parseDotenv } from '../../src/steps/dotenv/parse.js'

const values = (text: string) => Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]))

describe('parseDotenv', () => {
  it('reads plain, empty, exported and spaced assignments', () => {
    expect(values('A=1\nB=\nexport C=three\n  D = four  \nE.F-G=x\n')).toEqual({
      A: '1',
      B: '',
      C: 'three',
      D: 'four',
      'E.F-G': 'x',
    })
    expect(parseDotenv('export C=3\n').entries[0]!.exported).toBe(true)
  })

  it('unquotes single, double and backtick values; expands \\n only in double quotes', () => {
    expect(values(`A='it''s'\nB="line\\nnext \\"q\\""\nC=\`b t\`\nD='a\\nb'\n`)).toEqual({
      A: "it''s", // dotenv 16: the first closing quote is not at the end of the line
      B: 'line\nnext \\"q\\"', // dotenv expands only \n and \r
      C: 'b t',
      D: 'a\\nb',
    })
  })

  it('strips inline comments after unquoted values, keeps # inside values and quotes', () => {
    expect(values('A=value # note\nB=pa#ss\nC="x # y" # z\nD=#only comment\n')).toEqual({
      A: 'value',
      B: 'pa#ss',
      C: 'x # y',
      D: '',
    })
  })

  it('reads a multi-line double-quoted value as one entry spanning its lines', () => {
    const file = parseDotenv('KEY="-----BEGIN\nabc\n-----END"\nNEXT=1\n')
    expect(file.entries.map((e) => [e.key, e.firstLine, e.lastLine])).toEqual([
      ['KEY', 0, 2],
      ['NEXT', 3, 3],
    ])
    expect(file.entries[0]!.value).toBe('-----BEGIN\nabc\n-----END')
  })

  it('does not swallow the file after an unclosed quote', () => {
    expect(values('A="never closed\nB=2\n')).toEqual({ A: '"never closed', B: '2' })
  })

  // Expected values checked against dotenv 16.6.1 (`require('dotenv').parse`).
  it('ends a quoted value only at a quote followed by end of line or a comment, like dotenv', () => {
    // `\"` at the end of a Windows path closes the value: SECRET_KEY must stay its own definition.
    const file = parseDotenv('WIN_DIR="C:\\Users\\me\\"\nSECRET_KEY=my-real-secret\nAPP_NAME="demo"\n')
    expect(values(file.lines.join('\n'))).toEqual({
      WIN_DIR: 'C:\\Users\\me\\',
      SECRET_KEY: 'my-real-secret',
      APP_NAME: 'demo',
    })
    expect(file.entries.map((e) => [e.key, e.firstLine, e.lastLine])).toEqual([
      ['WIN_DIR', 0, 0],
      ['SECRET_KEY', 1, 1],
      ['APP_NAME', 2, 2],
    ])
    expect(values('A="x" # c\nB="x"y\nC=1\nD="foo\\" # x"\n')).toEqual({
      A: 'x',
      B: '"x"y',
      C: '1',
      D: 'foo\\" # x',
    })
  })

  it('does not absorb a later quoted line into a quote that is never closed', () => {
    expect(values('API_URL="https://x\n\nGREETING="hello world"\n')).toEqual({
      API_URL: '"https://x',
      GREETING: 'hello world',
    })
  })

  it('reads `KEY: value` as an assignment like dotenv; `KEY:value` and `KEY : value` are not', () => {
    const file = parseDotenv('DB_PASS: mysecret\nB:nospace\nC : x\nD=1\n')
    expect(values(file.lines.join('\n'))).toEqual({ DB_PASS: 'mysecret', D: '1' })
    expect(file.invalidLines).toEqual([2, 3])
  })

  it('splits CR-only files into lines and remembers CR as the line ending', () => {
    const file = parseDotenv('A=1\rB=mine\r')
    expect(file.lines).toEqual(['A=1', 'B=mine'])
    expect(file.eol).toBe('\r')
    expect(file.endsWithNewline).toBe(true)
    expect(values('A=1\rB=mine\r')).toEqual({ A: '1', B: 'mine' })
  })

  it('handles CRLF files and remembers the line ending', () => {
    const file = parseDotenv('# c\r\nA=1\r\nB="two"\r\n')
    expect(file.eol).toBe('\r\n')
    expect(values('A=1\r\nB="two"\r\n')).toEqual({ A: '1', B: 'two' })
    expect(file.lines).toEqual(['# c', 'A=1', 'B="two"'])
  })

  it('ties a definition to the comment block directly above it, not across a blank line', () => {
    const file = parseDotenv('# header\n\n# the db\n# host\nDB=x\nPORT=1\n')
    const db = file.entries.find((e) => e.key === 'DB')!
    expect([db.commentStart, db.firstLine]).toEqual([2, 4])
    const port = file.entries.find((e) => e.key === 'PORT')!
    expect(port.commentStart).toBe(port.firstLine)
  })

  it('ignores comments and blank lines, reports lines that are not assignments', () => {
    const file = parseDotenv('# A=1\n\nnot an assignment\nB=2\n')
    expect(dotenvKeys(file)).toEqual(['B'])
    expect(file.invalidLines).toEqual([3])
  })

  it('parses an empty file and a file without a final newline', () => {
    expect(parseDotenv('').lines).toEqual([])
    const file = parseDotenv('A=1')
    expect(file.endsWithNewline).toBe(false)
    expect(dotenvKeys(file)).toEqual(['A'])
  })
})

describe('dotenv merge', () => {
  const example = parseDotenv(
    '# Database\nDB_HOST=localhost\nDB_PORT=5432\n\n# Rails secret\nSECRET_KEY_BASE=\n',
  )
  const secret = () => 'S3CRET'

  it('lists the keys the target lacks, including keys to generate that the example lacks', () => {
    const target = parseDotenv('DB_HOST=db.internal\n')
    expect(missingKeys(target, example, ['SECRET_KEY_BASE', 'JWT_SECRET'])).toEqual([
      'DB_PORT',
      'SECRET_KEY_BASE',
      'JWT_SECRET',
    ])
  })

  it('appends missing keys with their comment and value, a secret for generated keys', () => {
    const target = parseDotenv('DB_HOST=db.internal')
    const appendix = appendixFor(target, example, ['SECRET_KEY_BASE'], secret)
    expect(appendix.text).toBe('\n\nDB_PORT=5432\n# Rails secret\nSECRET_KEY_BASE=S3CRET\n')
    expect(appendix.added).toEqual(['DB_PORT', 'SECRET_KEY_BASE'])
    expect(appendix.generated).toEqual(['SECRET_KEY_BASE'])
  })

  it('appends nothing when the target is complete, even if its values differ', () => {
    const target = parseDotenv('DB_HOST=a\nDB_PORT=b\nSECRET_KEY_BASE=\n')
    expect(appendixFor(target, example, ['SECRET_KEY_BASE'], secret)).toEqual({
      text: '',
      added: [],
      generated: [],
    })
  })

  it('appends with the target file’s CRLF line endings', () => {
    const target = parseDotenv('DB_HOST=x\r\n')
    expect(appendixFor(target, example, [], secret).text).toBe(
      '\r\nDB_PORT=5432\r\n# Rails secret\r\nSECRET_KEY_BASE=\r\n',
    )
  })

  it('appends with the target file’s CR-only line endings', () => {
    const target = parseDotenv('A=1\rB=mine\r')
    const appendix = appendixFor(target, parseDotenv('A=1\nB=2\nC=3\n'), [], secret)
    expect(appendix.text).toBe('\rC=3\r')
  })

  it('leaves out the keys it is told to skip', () => {
    const target = parseDotenv('DB_HOST=x\n')
    const appendix = appendixFor(target, example, [], secret, new Set(['DB_PORT']))
    expect(appendix.added).toEqual(['SECRET_KEY_BASE'])
    expect(appendix.text).not.toContain('DB_PORT')
  })

  it('copies the example line for line into a new file, generating secrets in place', () => {
    const created = newFileFrom(example, ['SECRET_KEY_BASE', 'EXTRA'], secret)
    expect(created.text).toBe(
      '# Database\nDB_HOST=localhost\nDB_PORT=5432\n\n# Rails secret\nSECRET_KEY_BASE=S3CRET\nEXTRA=S3CRET\n',
    )
    expect(created.generated).toEqual(['SECRET_KEY_BASE', 'EXTRA'])
  })

  it('generates a different 128-hex-character secret each time by default', () => {
    const a = newFileFrom(parseDotenv('K=\n'), ['K']).text
    const b = newFileFrom(parseDotenv('K=\n'), ['K']).text
    expect(a).toMatch(/^K=[0-9a-f]{128}\n$/)
    expect(a).not.toBe(b)
  })
})

describe('rawDefinitionLine (the safety net, independent of the parser)', () => {
  it('finds a line that looks like it defines the key, in any line ending, with export or colon', () => {
    expect(rawDefinitionLine('A=1\r\nB=2\r\n', 'B')).toBe(2)
    expect(rawDefinitionLine('A=1\rB=2\r', 'B')).toBe(2)
    expect(rawDefinitionLine('x\n  export  SECRET = 1\n', 'SECRET')).toBe(2)
    expect(rawDefinitionLine('A=1\nDB_PASS:mysecret\n', 'DB_PASS')).toBe(2)
    expect(rawDefinitionLine('A="\nSECRET_KEY=mine\n"\n', 'SECRET_KEY')).toBe(2)
  })

  it('ignores comments, other keys that share a prefix, and regex characters in the key', () => {
    expect(rawDefinitionLine('# SECRET=1\nSECRET_2=1\nSECRETX=1\n', 'SECRET')).toBeUndefined()
    expect(rawDefinitionLine('AxB=1\n', 'A.B')).toBeUndefined()
    expect(rawDefinitionLine('A.B=1\n', 'A.B')).toBe(1)
  })
})

describe('a generated secret in the form the example asks for', () => {
  // outline's .env.sample: its env validation accepts exactly 64 hex characters for SECRET_KEY.
  const example = parseDotenv(
    '# Generate a hex-encoded 32-byte random key. Use `openssl rand -hex 32` in your\n# terminal to generate a random value.\nSECRET_KEY=generate_a_new_key\n\nAPI_TOKEN= # openssl rand -base64 24\n\n# any format\nJWT_SECRET=\n',
  )
  it('`openssl rand -hex 32` above the key: 64 hex characters; `-base64 24` after it: 32 base64 characters', () => {
    const secret = secretsFor(example)
    expect(secret('SECRET_KEY')).toMatch(/^[0-9a-f]{64}$/)
    expect(secret('API_TOKEN')).toMatch(/^[A-Za-z0-9+/]{32}$/)
  })
  it('a key whose example says nothing gets the default: 64 bytes as hex', () => {
    expect(secretsFor(example)('JWT_SECRET')).toMatch(/^[0-9a-f]{128}$/)
    expect(secretsFor(example)('NOT_IN_EXAMPLE')).toMatch(/^[0-9a-f]{128}$/)
    const created = newFileFrom(example, ['SECRET_KEY'], secretsFor(example))
    expect(created.text).toMatch(/^SECRET_KEY=[0-9a-f]{64}$/m)
  })
})
