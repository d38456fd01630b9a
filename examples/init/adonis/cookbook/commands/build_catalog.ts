import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { getDirname } from '@poppinss/utils'
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { load } from 'js-yaml'

export default class BuildCatalog extends BaseCommand {
  static options: CommandOptions = { startApp: false }
  static commandName = 'build:catalog'
  static description = 'Compile catalog/recipes/*.yml into one JSON file the app loads at boot'

  #sources = join(getDirname(import.meta.url), '../catalog/recipes')
  #output = join(getDirname(import.meta.url), '../catalog/build/')

  async run() {
    const names = (await readdir(this.#sources)).filter((name) => name.endsWith('.yml'))
    const recipes = await Promise.all(names.map(async (name) => load(await readFile(join(this.#sources, name), 'utf-8'))))
    await mkdir(this.#output, { recursive: true })
    await writeFile(join(this.#output, 'recipes.json'), JSON.stringify(recipes, null, 2))
  }
}
