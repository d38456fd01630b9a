// `doctor --report junit`: one testcase per step, so any CI shows the checklist without a plugin.
// Follows the Jenkins xUnit schema (junit-10.xsd, vendored in test/fixtures/junit/ and checked
// with xmllint in the tests): an unmet step is a <failure> carrying its reason and fix, a step
// that was not checked (condition false, not selected) is <skipped/>.
import { escapeMarkup as x } from './escape.js'
import { countVerdicts, type DoctorReport, type ReportStep, seconds, verdictOf } from './model.js'

const suiteName = 'devsetup doctor'

function testcase(step: ReportStep): string {
  const attrs = `name="${x(step.title)}" classname="devsetup.${x(step.id)}" time="${seconds(step.durationMs)}"`
  const verdict = verdictOf(step.status)
  if (verdict === 'pass') return `    <testcase ${attrs}/>`
  if (verdict === 'skip')
    return `    <testcase ${attrs}>\n      <skipped message="${x(step.reason)}"/>\n    </testcase>`
  const body = [step.reason, step.fix ? `fix: ${step.fix}` : ''].filter(Boolean).join('\n')
  return [
    `    <testcase ${attrs}>`,
    `      <failure type="${step.status}" message="${x(step.reason)}">${x(body)}</failure>`,
    '    </testcase>',
  ].join('\n')
}

export function renderJunit(report: DoctorReport): string {
  const counts = countVerdicts(report.steps)
  const tests = report.steps.length
  const time = seconds(report.durationMs)
  // Without its milliseconds: Ant wrote seconds, and some readers parse nothing finer.
  const timestamp = `${report.generatedAt.toISOString().slice(0, 19)}Z`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${suiteName}" tests="${tests}" failures="${counts.fail}" errors="0" time="${time}">`,
    `  <testsuite name="${suiteName}: ${x(report.recipeFile)}" tests="${tests}" failures="${counts.fail}" errors="0" skipped="${counts.skip}" time="${time}" timestamp="${timestamp}" file="${x(report.recipeFile)}">`,
    '    <properties>',
    `      <property name="recipe" value="${x(report.recipeFile)}"/>`,
    `      <property name="verdict" value="${report.ready ? 'ready' : 'not ready'}"/>`,
    '    </properties>',
    ...report.steps.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
