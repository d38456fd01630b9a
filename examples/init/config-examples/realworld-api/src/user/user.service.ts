import { SECRET } from '../config'
import { helper } from './user.helper'

export const sign = (id: string) => helper(`${id}.${SECRET}`)
