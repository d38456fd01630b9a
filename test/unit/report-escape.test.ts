import { describe, expect, it } from 'vitest'
import { escapeMarkdownCell, escapeMarkup, markdownCode } from '../../src/report/escape.js'
import { median } from '../../src/report/history.js'
import { ticks } from '../../src/report/html-chart.js'

describe('report escaping', () => {
  it('markup: the five special characters, no terminal colors, no characters XML forbids', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    expect(escapeMarkup('\u001b[31mred\u001b[39m\u0000\u0007 tab\tnew\nline')).toBe('red tab\tnew\nline')
    expect(escapeMarkup('lone \ud800 surrogate, pair 😀')).toBe('lone  surrogate, pair 😀')
  })

  it('markdown cell: no formatting, no cell break, one line', () => {
    expect(escapeMarkdownCell('a | b\n*c* <d> `e` [f](g)')).toBe(
      'a \\| b<br>\\*c\\* \\<d\\> \\`e\\` \\[f\\](g)',
    )
  })

  it('markdown code: a `|` keeps its backslash, backticks get a longer fence, lines join with <br>', () => {
    expect(markdownCode('a | b')).toBe('`a \\| b`')
    expect(markdownCode('echo `x` ``y``')).toBe('``` echo `x` ``y`` ```')
    expect(markdownCode('`start')).toBe('`` `start ``')
    expect(markdownCode('one\ntwo\n')).toBe('`one`<br>`two`')
  })
})

describe('chart and stats arithmetic', () => {
  it('ticks: round steps from 0 up to the first at or above the maximum', () => {
    expect(ticks(2300)).toEqual([0, 1000, 2000, 3000])
    expect(ticks(2000)).toEqual([0, 500, 1000, 1500, 2000])
    expect(ticks(0)).toEqual([0])
  })

  it('median of an odd and an even count; none of nothing', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 10])).toBe(4) // 3.5, in whole milliseconds
    expect(median([])).toBeUndefined()
  })
})
