import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http'

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const wishlist = req.scope.resolve('wishlist')
  res.json({ wishes: await wishlist.listWishes() })
}
