import router from '@adonisjs/core/services/router'

router.get('/health', () => ({ ok: true }))
router.get('/', () => 'pastebin')
