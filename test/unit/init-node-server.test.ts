// The Node dev server init writes: the port from the entry file when nothing else says it.
import { describe, expect, it } from 'vitest'
import { detect } from '../../src/init/detect.js'
import { tempRepo } from '../helpers.js'

describe('the Node dev server', () => {
  it("takes `const PORT = 8080` from the file the dev script runs, not express's default", () => {
    const dir = tempRepo({
      'package.json': JSON.stringify({
        scripts: { dev: 'nodemon index.js' },
        dependencies: { express: '4' },
      }),
      'index.js': "const app = require('./express/app')\nconst PORT = 8080\napp.listen(PORT)\n",
    })
    const restart = detect(dir, { dockerRuns: () => false }).steps.find((s) => s.type === 'restart')
    expect(restart?.config).toMatchObject({ start: 'npm run dev', health: 'http://127.0.0.1:8080/' })
    expect(restart?.why).toContain('port 8080 from index.js')
  })
})
