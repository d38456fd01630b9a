// The plain renderer (CI logs): a long silent step prints a "still running" line now and then.
import { describe, expect, it } from 'vitest'
import { EngineEvents } from '../../src/engine/events.js'
import { attachPlainRenderer } from '../../src/engine/render/plain.js'
import type { StepNode } from '../../src/recipe/types.js'
import { waitFor } from '../helpers.js'

describe('plain renderer', () => {
  it('prints a still-running line for a long step, and stops at its end', async () => {
    const events = new EngineEvents()
    const lines: string[] = []
    attachPlainRenderer(events, (line) => lines.push(line), false, 100)
    const step = { id: 'migrate', title: 'Migrate' } as StepNode
    events.emit('step:run', step, 'never run here')
    await waitFor(() => lines.filter((l) => l.includes('still running')).length >= 2, 5000, 'two ticks')
    events.emit('step:end', step, { status: 'changed', reason: 'migrated', durationMs: 250 })
    const ticks = lines.filter((l) => l.includes('still running')).length
    await new Promise((r) => setTimeout(r, 300))
    expect(lines.filter((l) => l.includes('still running')).length).toBe(ticks)
    expect(lines[1]).toMatch(/^… Migrate — still running \(\d+s\)$/)
  })
})
