import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getDirname } from '@poppinss/utils'
import type { ApplicationService } from '@adonisjs/core/types'

export default class CatalogProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    // The recipes, compiled from catalog/recipes/*.yml by `node ace build:catalog`.
    const file = join(getDirname(import.meta.url), '../catalog/build/recipes.json')
    const recipes = JSON.parse(readFileSync(file, 'utf-8'))
    this.app.container.singleton('catalog', () => recipes)
  }
}
