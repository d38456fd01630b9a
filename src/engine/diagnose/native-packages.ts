// The system package that provides a C header, a shared library or a native gem's build
// needs, per platform: Debian/Ubuntu (apt) and Homebrew. The names are the ones the gems'
// own install hints and the distributions use (libpq-dev, not postgresql-server-dev-*).
export interface NativePackage {
  what: string
  apt: string[]
  brew: string[]
}

const libpq: NativePackage = {
  what: 'PostgreSQL client library (libpq)',
  apt: ['libpq-dev'],
  brew: ['libpq'],
}
const mysql: NativePackage = {
  what: 'MySQL/MariaDB client library',
  apt: ['libmariadb-dev'],
  brew: ['mysql-client'],
}
const sqlite: NativePackage = { what: 'SQLite library', apt: ['libsqlite3-dev'], brew: ['sqlite'] }
const yaml: NativePackage = { what: 'libyaml (psych)', apt: ['libyaml-dev'], brew: ['libyaml'] }
const ffi: NativePackage = { what: 'libffi', apt: ['libffi-dev'], brew: ['libffi'] }
const xml: NativePackage = {
  what: 'libxml2 and libxslt',
  apt: ['libxml2-dev', 'libxslt1-dev'],
  brew: ['libxml2', 'libxslt'],
}
const vips: NativePackage = { what: 'libvips', apt: ['libvips-dev'], brew: ['vips'] }
const magick: NativePackage = {
  what: 'ImageMagick (MagickWand)',
  apt: ['libmagickwand-dev'],
  brew: ['imagemagick'],
}
const ssl: NativePackage = { what: 'OpenSSL', apt: ['libssl-dev'], brew: ['openssl@3'] }
const zlib: NativePackage = { what: 'zlib', apt: ['zlib1g-dev'], brew: ['zlib'] }
const curl: NativePackage = { what: 'libcurl', apt: ['libcurl4-openssl-dev'], brew: ['curl'] }

/** By header path (as #include names it) or helper program, first match wins. */
const byHeader: [RegExp, NativePackage][] = [
  [/^(libpq-fe|libpq\/|pg_config)/, libpq],
  [/^(mysql\.h|mysql\/|mariadb\/|mysql_config|mariadb_config)/, mysql],
  [/^sqlite3/, sqlite],
  [/^yaml\.h/, yaml],
  [/^ffi\.h/, ffi],
  [/^(libxml|libxslt|libexslt)\//, xml],
  [/^vips\//, vips],
  [/^(MagickWand|MagickCore|wand\/|Magick-config|MagickWand-config)/, magick],
  [/^openssl\//, ssl],
  [/^zlib\.h/, zlib],
  [/^curl\//, curl],
]

export function packageForHeader(header: string): NativePackage | undefined {
  return byHeader.find(([pattern]) => pattern.test(header))?.[1]
}

/** Gems (and npm packages) whose native build or load needs a system library. */
const byGem: Record<string, NativePackage> = {
  pg: libpq,
  mysql2: mysql,
  trilogy: ssl,
  sqlite3: sqlite,
  psych: yaml,
  ffi,
  nokogiri: xml,
  'ruby-vips': vips,
  sharp: vips,
  rmagick: magick,
  mini_magick: magick,
  curb: curl,
  'better-sqlite3': sqlite,
}

export function packageForGem(name: string): NativePackage | undefined {
  return byGem[name]
}

/** By shared library file name (libvips.so.42): the runtime library, and its -dev for a build. */
const byLibrary: [RegExp, NativePackage][] = [
  [/^libpq\.so/, libpq],
  [/^lib(mysqlclient|mariadb)\.so/, mysql],
  [/^libsqlite3\.so/, sqlite],
  [/^libyaml/, yaml],
  [/^libffi\.so/, ffi],
  [/^lib(xml2|xslt)\.so/, xml],
  [/^libvips/, vips],
  [/^libMagick/, magick],
  [/^lib(ssl|crypto)\.so/, ssl],
]

export function packageForLibrary(file: string): NativePackage | undefined {
  return byLibrary.find(([pattern]) => pattern.test(file))?.[1]
}
