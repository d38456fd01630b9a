// The HTML report's stylesheet, inlined into the page (no external asset). Light and dark.
export const reportStyle = `
:root {
  --bg: #f6f7f9; --card: #fff; --text: #1d2330; --muted: #667085; --line: #e4e7ec;
  --pass: #12805c; --pass-bg: #e7f6ef; --fail: #c4320a; --fail-bg: #fdeee9; --skip: #8a94a6; --skip-bg: #f0f2f5;
  --grid: #eaecf0; --warn: #b54708; --warn-bg: #fef0c7;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1217; --card: #171b22; --text: #e6e9ef; --muted: #98a2b3; --line: #2a303b;
    --pass: #3ccb8e; --pass-bg: #12291f; --fail: #ff7a59; --fail-bg: #33190f; --skip: #98a2b3; --skip-bg: #222731;
    --grid: #2a303b; --warn: #fdb022; --warn-bg: #33260a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 28px 20px 40px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
header.verdict { display: flex; align-items: center; gap: 18px; padding: 20px 24px; border-radius: 12px;
  background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--pass); }
header.verdict.not-ready { border-left-color: var(--fail); }
header .icon { flex: none; width: 44px; height: 44px; }
header h1 { margin: 0; font-size: 24px; line-height: 1.2; }
header .headline { margin: 2px 0 0; font-size: 15px; }
header .meta { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
header .counts { margin: 0 0 0 auto; padding: 0; list-style: none; display: flex; gap: 8px; flex-wrap: wrap; }
.counts li { padding: 3px 10px; border-radius: 999px; font-weight: 600; font-size: 13px; white-space: nowrap; }
.counts .pass { color: var(--pass); background: var(--pass-bg); }
.counts .fail { color: var(--fail); background: var(--fail-bg); }
.counts .skip { color: var(--skip); background: var(--skip-bg); }
section { margin-top: 22px; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 24px; }
h2 { margin: 0 0 12px; font-size: 16px; }
h2 .note { font-weight: normal; color: var(--muted); font-size: 13px; margin-left: 6px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  font-weight: 600; padding: 0 10px 8px; border-bottom: 1px solid var(--line); }
td { padding: 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: none; }
tr.fail td { background: var(--fail-bg); }
tr.skip td { color: var(--muted); }
td.mark { width: 28px; padding-right: 0; }
td.mark svg { display: block; margin-top: 1px; }
td.name strong { display: block; font-weight: 600; overflow-wrap: anywhere; }
td.name .id { color: var(--muted); font-size: 12px; }
td.reason { overflow-wrap: anywhere; }
td.reason p { margin: 0; white-space: pre-wrap; }
.fix { margin-top: 6px; display: flex; gap: 8px; align-items: baseline; }
.fix .label { flex: none; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--fail); }
.fix code { display: block; padding: 4px 8px; border-radius: 6px; background: var(--card); border: 1px solid var(--line);
  white-space: pre-wrap; overflow-wrap: anywhere; }
td.time { width: 170px; white-space: nowrap; }
td.time .median { display: block; font-size: 12px; color: var(--muted); }
.sparkline { display: block; margin-bottom: 2px; }
.spark { opacity: .55; } .spark.last { opacity: 1; }
ul.changes { margin: 0; padding: 0; list-style: none; }
ul.changes li { padding: 5px 0; display: flex; gap: 10px; align-items: baseline; }
.badge { flex: none; width: 74px; text-align: center; font-size: 11px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; padding: 1px 0; border-radius: 4px; }
.badge.added { color: var(--pass); background: var(--pass-bg); }
.badge.removed { color: var(--fail); background: var(--fail-bg); }
.badge.changed { color: var(--warn); background: var(--warn-bg); }
.empty { color: var(--muted); margin: 0; }
/* One grid for all the rows (a row's parts are its cells): the label and total columns are as wide
   as their longest text, the bars take the rest; a label cut only when even that does not fit. */
.chart { display: grid; grid-template-columns: minmax(0, max-content) minmax(120px, 1fr) minmax(0, max-content);
  gap: 10px 8px; align-items: center; font-size: 12px; }
.chart .run, .chart .axis { display: contents; }
.chart .run-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chart .run-total { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chart svg.bar { width: 100%; height: 22px; display: block; }
.chart .grid { stroke: var(--grid); stroke-width: 1; vector-effect: non-scaling-stroke; }
.chart .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; }
.chart .dot.good { background: var(--pass); } .chart .dot.bad { background: var(--fail); }
.chart .ticks { grid-column: 2; position: relative; height: 1.4em; color: var(--muted); }
.chart .ticks span { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.legend { margin: 10px 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
footer { margin-top: 18px; color: var(--muted); font-size: 12px; text-align: center; }
header .repo { margin: 0 0 2px; font-size: 13px; color: var(--muted); overflow-wrap: anywhere; }
header .repo strong { color: var(--text); font-size: 14px; }
header .repo .branch, header .repo .commit { margin-left: 6px; padding: 0 6px; border-radius: 4px; background: var(--skip-bg); }
.spark-axis { stroke: var(--line); stroke-width: 1; }
.spark-scale { fill: var(--muted); font-size: 9px; font-family: inherit; }
/* A phone, a narrow window: each step a block of its own, the fix under its reason at full width. */
@media (max-width: 640px) {
  main { padding: 12px 8px 28px; }
  header.verdict { flex-wrap: wrap; padding: 14px 14px; gap: 12px; }
  header .counts { margin: 0; width: 100%; }
  section { padding: 14px 12px; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr.step { position: relative; padding: 10px 0 10px 32px; border-bottom: 1px solid var(--line); }
  tr.step:last-child { border-bottom: none; }
  tr.fail { background: var(--fail-bg); }
  tr.step td { padding: 0; border: none; background: none; }
  td.mark { position: absolute; left: 6px; top: 11px; width: auto; }
  td.reason { margin-top: 4px; }
  td.time { width: auto; margin-top: 6px; white-space: normal; display: flex; align-items: center; gap: 8px; }
  .fix { flex-direction: column; gap: 2px; }
  .fix code { width: 100%; }
  /* The runs chart's bars narrow; its labels and totals keep their size (html-chart.ts). */
  .chart { column-gap: 6px; }
}
`
