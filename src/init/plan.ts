// What `init` would write for a repository: the providers' detection, the service steps for the
// local servers it needs, compose hosts made local, the closest template, rendered. The machine facts (a Docker engine,
// the command devsetup runs as) are parameters, and what answers on a port is not asked at all, so the reviewed
// snapshots of examples/init — and a committed recipe — do not follow the machine they are made on.
import { withComposeAppEnv } from './compose-app-env.js'
import { localiseHosts } from './compose-hosts.js'
import { type Detection, detect } from './detect.js'
import { withServices } from './detect-services.js'
import { type Rendered, renderRecipe } from './render.js'
import { RepoProbe } from './repo.js'
import { closestTemplate, getTemplate, type Template } from './templates.js'

export interface PlanOptions {
  /** --template: this one, with its steps kept even where nothing was detected. */
  template?: string | undefined
  schemaLine: string
  /** How the recipe's header says to run devsetup (`devsetup`, or npx's command): see runningCommand. */
  command: string
  dockerRuns?: () => boolean
}

export interface InitPlan {
  detection: Detection
  template: Template | undefined
  /** The template was picked as the closest, not asked for. */
  closest: boolean
  rendered: Rendered
}

export async function planInit(root: string, options: PlanOptions): Promise<InitPlan> {
  const repo = new RepoProbe(root)
  const withServers = withServices(
    detect(root, options.dockerRuns ? { dockerRuns: options.dockerRuns } : {}),
    repo,
  )
  const detection = withComposeAppEnv(localiseHosts(withServers, withServers.example), repo)
  const closest = options.template === undefined ? closestTemplate(root) : undefined
  const name = options.template ?? closest?.name
  const template = name ? getTemplate(name) : undefined
  const rendered = renderRecipe({
    detection,
    ...(template ? { template } : {}),
    keepUndetected: options.template !== undefined,
    schemaLine: options.schemaLine,
    command: options.command,
  })
  return { detection, template, closest: closest !== undefined, rendered }
}
