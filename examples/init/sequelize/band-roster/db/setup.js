// Starts the roster over: every table dropped and created from the models, then a few musicians.
const sequelize = require('./index')

async function main() {
  await sequelize.sync({ force: true })
  await sequelize.models.musician.bulkCreate([
    { name: 'Mingus', instrument: 'bass' },
    { name: 'Monk', instrument: 'piano' },
  ])
}

main()
