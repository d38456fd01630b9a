// The admin routes; the host application mounts them with app.use('/admin', router).
const router = require('express').Router()
router.get('/', (_, res) => res.send('admin'))
module.exports = router
