import { MedusaService, model } from '@medusajs/framework/utils'

const Wish = model.define('wish', { id: model.id().primaryKey(), product_id: model.text() })

export default class WishlistService extends MedusaService({ Wish }) {}
