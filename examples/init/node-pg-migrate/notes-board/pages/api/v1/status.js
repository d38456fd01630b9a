import { Client } from 'pg'

export default async function status(request, response) {
  const client = new Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  const { rows } = await client.query('SELECT count(*)::int AS notes FROM notes')
  await client.end()
  response.status(200).json({ updated_at: new Date().toISOString(), notes: rows[0].notes })
}
