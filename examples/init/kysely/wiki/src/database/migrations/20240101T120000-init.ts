import { Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>) {
  await db.schema.createTable('pages').addColumn('id', 'serial', (c) => c.primaryKey()).execute()
}
