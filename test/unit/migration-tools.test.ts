// Each migration tool's table, told by its name and columns, and how it names an applied file:
// rows and file names in the shapes the tools themselves write (their docs and real apps).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { toolOf } from '../../src/steps/database/migration-tools.js'

/** The files of `files` the tool's rows mark as applied, and the ones they do not. */
function split(
  table: string,
  columns: string[],
  rows: Record<string, unknown>[],
  files: string[],
  named = false,
  nearby: Record<string, string> = {},
) {
  const tool = toolOf({ name: table, columns }, named)
  if (!tool) throw new Error(`no tool for ${table}`)
  const applied = tool.applied(rows, table)
  const keyed = files.map(
    (f) =>
      [
        f,
        tool.fileKey(
          f,
          () => Buffer.from(`-- ${f}`),
          (n) => nearby[n],
        ),
      ] as const,
  )
  return {
    tool: tool.name,
    applied: keyed.filter(([, k]) => k !== undefined && applied.has(k)).map(([f]) => f),
    pending: keyed.filter(([, k]) => k !== undefined && !applied.has(k)).map(([f]) => f),
    problem: applied.problem,
  }
}

describe('migration tools', () => {
  it('knex: the file name; declarations and maps are no migrations', () => {
    expect(
      split(
        'knex_migrations',
        ['id', 'name', 'batch', 'migration_time'],
        [{ name: '20240101_users.js' }],
        ['m/20240101_users.js', 'm/20240102_posts.ts', 'm/20240101_users.d.ts', 'm/README.md'],
      ),
    ).toMatchObject({ tool: 'knex', applied: ['m/20240101_users.js'], pending: ['m/20240102_posts.ts'] })
  })

  it('Rails and golang-migrate share schema_migrations: told apart by the dirty column', () => {
    expect(
      split(
        'schema_migrations',
        ['version'],
        [{ version: '20240101000000' }],
        ['db/migrate/20240101000000_create_users.rb', 'db/migrate/20240202000000_create_posts.rb'],
      ),
    ).toMatchObject({ tool: 'Rails / dbmate', pending: ['db/migrate/20240202000000_create_posts.rb'] })
    const golang = split(
      'schema_migrations',
      ['version', 'dirty'],
      [{ version: 2, dirty: false }],
      ['m/000001_a.up.sql', 'm/000001_a.down.sql', 'm/000002_b.up.sql', 'm/000003_c.up.sql'],
    )
    expect(golang).toMatchObject({
      tool: 'golang-migrate',
      applied: ['m/000001_a.up.sql', 'm/000002_b.up.sql'],
    })
    expect(golang.pending).toEqual(['m/000003_c.up.sql'])
    expect(
      split('schema_migrations', ['version', 'dirty'], [{ version: 2, dirty: true }], []).problem,
    ).toMatch(/dirty at version 2/)
  })

  it('goose: the latest row of a version decides', () => {
    const rows = [
      { id: 1, version_id: 0, is_applied: true },
      { id: 2, version_id: 1, is_applied: true },
      { id: 3, version_id: 2, is_applied: true },
      { id: 4, version_id: 2, is_applied: false },
    ]
    expect(
      split('goose_db_version', ['id', 'version_id', 'is_applied', 'tstamp'], rows, [
        'm/00001_a.sql',
        'm/00002_b.sql',
      ]),
    ).toMatchObject({ tool: 'goose', applied: ['m/00001_a.sql'], pending: ['m/00002_b.sql'] })
  })

  it('Sequelize, node-pg-migrate, AdonisJS and Laravel: names with and without extension or folder', () => {
    expect(
      split('SequelizeMeta', ['name'], [{ name: '20240101-users.js' }], ['m/20240101-users.js']).applied,
    ).toEqual(['m/20240101-users.js'])
    expect(
      split(
        'pgmigrations',
        ['id', 'name', 'run_on'],
        [{ name: '1700000000000_users' }],
        ['m/1700000000000_users.js'],
      ),
    ).toMatchObject({ tool: 'node-pg-migrate', pending: [] })
    expect(
      split(
        'adonis_schema',
        ['id', 'name', 'batch'],
        [{ name: 'database/migrations/1700_users' }],
        ['database/migrations/1700_users.ts'],
      ),
    ).toMatchObject({ tool: 'AdonisJS', pending: [] })
    expect(
      split(
        'migrations',
        ['id', 'migration', 'batch'],
        [{ migration: '2024_01_01_000000_users' }],
        ['database/migrations/2024_01_01_000000_users.php'],
      ),
    ).toMatchObject({ tool: 'Laravel', pending: [] })
  })

  it('TypeORM: the timestamp of class CreateUsers1700000000000 in 1700000000000-CreateUsers.ts', () => {
    expect(
      split(
        'migrations',
        ['id', 'timestamp', 'name'],
        [{ timestamp: '1700000000000', name: 'CreateUsers1700000000000' }],
        ['src/migrations/1700000000000-CreateUsers.ts', 'src/migrations/1700000000001-AddPosts.ts'],
      ),
    ).toMatchObject({ tool: 'TypeORM', pending: ['src/migrations/1700000000001-AddPosts.ts'] })
  })

  it('Django: app and name, from <app>/migrations/<name>.py', () => {
    expect(
      split(
        'django_migrations',
        ['id', 'app', 'name', 'applied'],
        [{ app: 'blog', name: '0001_initial' }],
        ['blog/migrations/__init__.py', 'blog/migrations/0001_initial.py', 'shop/migrations/0001_initial.py'],
      ),
    ).toMatchObject({ tool: 'Django', pending: ['shop/migrations/0001_initial.py'] })
  })

  it('Prisma: the folder, finished and not rolled back; a failed one is a problem', () => {
    const rows = [
      { migration_name: '20240101_init', finished_at: '2024-01-01', rolled_back_at: null },
      { migration_name: '20240202_posts', finished_at: '2024-02-02', rolled_back_at: '2024-02-03' },
    ]
    const files = [
      'prisma/migrations/20240101_init/migration.sql',
      'prisma/migrations/20240202_posts/migration.sql',
      'prisma/migrations/migration_lock.toml',
    ]
    expect(
      split('_prisma_migrations', ['migration_name', 'finished_at', 'rolled_back_at'], rows, files),
    ).toMatchObject({
      tool: 'Prisma',
      pending: ['prisma/migrations/20240202_posts/migration.sql'],
    })
    const failed = [{ migration_name: '20240303_x', finished_at: null, rolled_back_at: null }]
    expect(
      split('_prisma_migrations', ['migration_name', 'finished_at', 'rolled_back_at'], failed, []).problem,
    ).toMatch(/20240303_x as failed/)
  })

  it('Flyway: successful scripts; Drizzle: the sha256 of the file', () => {
    expect(
      split(
        'flyway_schema_history',
        ['installed_rank', 'version', 'script', 'success'],
        [{ script: 'V1__init.sql', success: 1 }],
        ['sql/V1__init.sql', 'sql/V2__more.sql'],
      ),
    ).toMatchObject({ tool: 'Flyway', pending: ['sql/V2__more.sql'] })
    const hash = createHash('sha256').update('-- drizzle/0000_init.sql').digest('hex')
    expect(
      split(
        '__drizzle_migrations',
        ['id', 'hash', 'created_at'],
        [{ hash }],
        ['drizzle/0000_init.sql', 'drizzle/0001_b.sql'],
      ),
    ).toMatchObject({ tool: 'Drizzle', pending: ['drizzle/0001_b.sql'] })
  })

  it("Drizzle with drizzle-kit's journal: only the journal's entries, by their `when` (created_at)", () => {
    // The shape drizzle-kit generate writes; 0002_orphan.sql is no entry, so migrate never runs it.
    const journal = JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [
        { idx: 0, version: '7', when: 1700000000000, tag: '0000_init', breakpoints: true },
        { idx: 1, version: '7', when: 1700000100000, tag: '0001_users', breakpoints: true },
      ],
    })
    const files = ['drizzle/0000_init.sql', 'drizzle/0001_users.sql', 'drizzle/0002_orphan.sql']
    const nearby = { 'drizzle/meta/_journal.json': journal }
    const columns = ['id', 'hash', 'created_at']
    // A row whose hash is of an older text of the file: drizzle compares created_at only.
    expect(
      split(
        '__drizzle_migrations',
        columns,
        [{ hash: 'edited', created_at: '1700000000000' }],
        files,
        false,
        nearby,
      ),
    ).toMatchObject({
      tool: 'Drizzle',
      applied: ['drizzle/0000_init.sql'],
      pending: ['drizzle/0001_users.sql'],
    })
    const both = [
      { hash: 'a', created_at: '1700000000000' },
      { hash: 'b', created_at: 1700000100000 },
    ]
    expect(split('__drizzle_migrations', columns, both, files, false, nearby)).toMatchObject({
      applied: ['drizzle/0000_init.sql', 'drizzle/0001_users.sql'],
      pending: [],
    })
  })

  it('a table of another shape is no tool; a table the recipe names is known by its columns', () => {
    expect(toolOf({ name: 'schema_migrations', columns: ['name'] }, false)).toBeUndefined()
    expect(
      toolOf({ name: 'users', columns: ['id', 'name', 'batch', 'migration_time'] }, false),
    ).toBeUndefined()
    expect(
      toolOf({ name: 'app_migrations', columns: ['id', 'name', 'batch', 'migration_time'] }, true)?.name,
    ).toBe('knex')
  })

  it("MikroORM: the class file's name without .ts/.js; its snapshot JSON is no migration", () => {
    expect(
      split(
        'mikro_orm_migrations',
        ['id', 'name', 'executed_at'],
        [{ id: 1, name: 'Migration20211219155639', executed_at: '2024-01-01 12:00:00' }],
        [
          'src/migrations/Migration20211219155639.ts',
          'src/migrations/Migration20240114223020.ts',
          'src/migrations/.snapshot-app.json',
        ],
      ),
    ).toMatchObject({
      tool: 'MikroORM',
      applied: ['src/migrations/Migration20211219155639.ts'],
      pending: ['src/migrations/Migration20240114223020.ts'],
    })
  })

  it('Kysely: the file name without its extension; postgrator: the number before .do.', () => {
    expect(
      split(
        'kysely_migration',
        ['name', 'timestamp'],
        [{ name: '20240101T120000-init', timestamp: '2024-01-01T12:00:00Z' }],
        [
          'src/database/migrations/20240101T120000-init.ts',
          'src/database/migrations/20240301T090000-pages.ts',
        ],
      ),
    ).toMatchObject({
      tool: 'Kysely',
      applied: ['src/database/migrations/20240101T120000-init.ts'],
      pending: ['src/database/migrations/20240301T090000-pages.ts'],
    })
    expect(
      split(
        'schemaversion',
        ['version', 'name', 'md5', 'run_at'],
        [{ version: 1, name: 'create-users' }],
        [
          'migrations/001.do.create-users.sql',
          'migrations/001.undo.create-users.sql',
          'migrations/002.do.posts.sql',
        ],
      ),
    ).toMatchObject({
      tool: 'postgrator',
      applied: ['migrations/001.do.create-users.sql'],
      pending: ['migrations/002.do.posts.sql'],
    })
  })
})
