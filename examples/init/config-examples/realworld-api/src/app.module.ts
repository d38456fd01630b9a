import ormConfig from './orm.config'
import { SECRET } from './config'

export const app = { ormConfig, SECRET }
