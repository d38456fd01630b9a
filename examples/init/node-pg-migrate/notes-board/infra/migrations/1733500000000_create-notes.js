exports.up = (pgm) => {
  pgm.createTable('notes', {
    id: 'id',
    body: { type: 'text', notNull: true },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('now()') },
  })
}

exports.down = false
