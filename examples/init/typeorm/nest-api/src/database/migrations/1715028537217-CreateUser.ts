import type { MigrationInterface, QueryRunner } from 'typeorm'

export class CreateUser1715028537217 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE "user" (id serial PRIMARY KEY, email text)')
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE "user"')
  }
}
