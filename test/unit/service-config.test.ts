// The `service` step's reading of the recipe: which server a URL asks for, and what it refuses.
import { describe, expect, it } from 'vitest'
import { resolveWanted, type ServiceConfig, WantedError } from '../../src/steps/service/config.js'
import { schema as serviceSchema } from '../../src/steps/service/schema.js'

const config = (value: unknown): ServiceConfig => serviceSchema.parse(value)

describe('service config', () => {
  it('reads the short and the long form, and `docker: false`', () => {
    expect(config('postgresql')).toMatchObject({
      engine: 'postgres',
      urlVar: 'DATABASE_URL',
      createDatabase: false,
    })
    expect(config({ engine: 'redis', docker: false })).toMatchObject({ urlVar: 'REDIS_URL', compose: false })
    expect(config({ engine: 'postgres', version: 16 }).version).toBe('16')
    // MariaDB is MySQL's engine: whichever server binaries the machine has.
    expect(config('mariadb')).toMatchObject({ engine: 'mysql', urlVar: 'DATABASE_URL' })
    expect(serviceSchema.safeParse('mongodb').success).toBe(false)
  })

  it('serves the URL of the step env: port, role, password, database', () => {
    const wanted = resolveWanted(config('postgres'), {
      DATABASE_URL: 'postgres://app:s%40cret@localhost:5433/app_dev',
    })
    expect(wanted).toEqual({
      port: 5433,
      user: 'app',
      password: 's@cret',
      database: 'app_dev',
      source: 'DATABASE_URL',
    })
  })

  it('takes the default port, and the role clients default to when the URL names none', () => {
    const env = { DATABASE_URL: 'postgresql://127.0.0.1/app', USER: 'alice' }
    expect(resolveWanted(config('postgres'), env)).toMatchObject({ port: 5432, user: 'alice' })
    expect(resolveWanted(config('postgres'), { ...env, PGUSER: 'bob' }).user).toBe('bob')
    // Redis: the path is a database number, nothing to create.
    expect(resolveWanted(config('redis'), { REDIS_URL: 'redis://localhost/3' })).toMatchObject({
      port: 6379,
      database: undefined,
    })
  })

  it('MySQL: its schemes, port 3306, the database to create, $USER when the URL names nobody', () => {
    expect(
      resolveWanted(config('mysql'), { DATABASE_URL: 'mariadb://127.0.0.1/shop', USER: 'alice' }),
    ).toMatchObject({ port: 3306, user: 'alice', database: 'shop' })
    expect(resolveWanted(config('mysql'), { DATABASE_URL: 'mysql2://app:pw@localhost:3307' })).toMatchObject({
      port: 3307,
      user: 'app',
      password: 'pw',
      database: undefined,
    })
    expect(() => resolveWanted(config('mysql'), { DATABASE_URL: 'postgres://localhost/x' })).toThrow(
      'is not a mysql URL',
    )
  })

  it('without a URL, leaves the port to devsetup', () => {
    expect(resolveWanted(config('postgres'), {}).port).toBeUndefined()
  })

  it('refuses a remote host, a URL of another engine, and text that is no URL', () => {
    const refuse =
      (url: string, engine = 'postgres') =>
      () =>
        resolveWanted(config({ engine, url }), {})
    expect(refuse('postgres://db.example.com/app')).toThrow(WantedError)
    expect(refuse('postgres://db.example.com/app')).toThrow('url points at db.example.com, not this machine')
    expect(refuse('redis://localhost:6379')).toThrow('is not a postgres URL')
    expect(refuse('not a url')).toThrow('url is not a URL')
  })
})
