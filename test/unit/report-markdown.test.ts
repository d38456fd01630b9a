// The Markdown report read by a real GFM parser (marked): a hostile reason or fix must not add
// a cell, end the table or turn into markup; every cell must read back as the text it came from.
import { marked, type Tokens } from 'marked'
import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/report/markdown.js'
import type { DoctorReport, ReportStep } from '../../src/report/model.js'

const step = (fields: Partial<ReportStep>): ReportStep => ({
  id: 'a',
  type: 'run',
  title: 'A',
  status: 'ok',
  reason: 'fine',
  durationMs: 1,
  ...fields,
})

function report(steps: ReportStep[]): DoctorReport {
  return {
    recipeFile: 'devsetup.yml',
    generatedAt: new Date('2026-01-01T00:00:00Z'),
    durationMs: 1234,
    ready: !steps.some((s) => s.status === 'unmet'),
    steps,
    changes: undefined,
    lastSuccessAt: undefined,
    runs: [],
  }
}

/** The table's rows as plain text, the way a reader sees them. */
function tableText(markdown: string): string[][] {
  const table = marked.lexer(markdown).find((t) => t.type === 'table') as Tokens.Table
  const plain = (html: string) =>
    html
      .replace(/<br>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
  return table.rows.map((row) => row.map((cell) => plain(marked.parseInline(cell.text) as string)))
}

describe('doctor --report markdown, read back by a GFM parser', () => {
  it('keeps every row at four cells and every text as written', () => {
    const hostile = step({
      id: 'hostile',
      title: 'A | *B* <b>bold</b> [link](http://x)',
      status: 'unmet',
      reason: 'line | one\nline <two> & `three` _four_',
      fix: 'grep "a|b" x | wc -l\nsed -n `1p` y',
    })
    const skipped = step({ id: 'lint', title: 'Lint', status: 'skipped', reason: 'if: env CI is not set' })
    const rows = tableText(renderMarkdown(report([step({}), hostile, skipped])))
    // Unmet first; each row's mark a red or green one a reader sees, with its word.
    expect(rows).toEqual([
      [
        '🔴 unmet',
        'A | *B* <b>bold</b> [link](http://x) hostile',
        'line | one\nline <two> & `three` _four_',
        'grep "a|b" x | wc -l\nsed -n `1p` y',
      ],
      ['🟢 met', 'A a', 'fine', ''],
      ['⚪ skipped', 'Lint lint', 'skipped: if: env CI is not set', ''],
    ])
  })

  it('opens with the verdict and ends with the counts', () => {
    const text = renderMarkdown(report([step({}), step({ id: 'b', status: 'unmet', reason: 'missing' })]))
    expect(text.split('\n')[0]).toBe('### 🔴 devsetup doctor — not ready: 1 of 2 checked steps unmet')
    const named = renderMarkdown({
      ...report([step({})]),
      checkout: { name: 'shop', branch: 'main', commit: '3f9a1c2' },
    })
    expect(named.split('\n')[0]).toBe(
      '### 🟢 devsetup doctor — shop @ main · 3f9a1c2 — ready: all 1 checked step met',
    )
    expect(text.trim().split('\n').at(-1)).toBe('<sub>devsetup.yml · 1 ok · 1 unmet · checked in 1.2s</sub>')
  })

  it('lists the recipe changes as one flat list, each change named by a word', () => {
    const text = renderMarkdown({
      ...report([step({})]),
      changes: {
        since: '2026-01-01T00:00:00Z',
        added: [{ step: 'hooks', type: 'run', title: 'Git *hooks*' }],
        removed: [{ step: 'cleanup', type: 'cleanup', title: 'Clean' }],
        changed: [{ step: 'a', type: 'run', title: 'A', keys: ['run'] }],
        env: { added: [], removed: [], changed: ['PORT'] },
      },
    })
    const list = marked.lexer(text).find((t) => t.type === 'list') as Tokens.List
    expect(list.items.map((item) => item.text)).toEqual([
      '**added** Git \\*hooks\\* (hooks) — new step',
      '**removed** Clean (cleanup) — removed',
      '**changed** A (a) — changed: run',
      '**changed** recipe env — changed PORT',
    ])
    // Flat: no item holds a list of its own (`- + …` would).
    expect(list.items.every((item) => !item.tokens.some((t) => t.type === 'list'))).toBe(true)
  })
})
