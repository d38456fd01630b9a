import express from 'express';
import { MikroORM } from '@mikro-orm/postgresql';
import config from './mikro-orm.config.js';

const orm = await MikroORM.init(config);
const app = express();
app.get('/recipes', async (_req, res) => res.json(await orm.em.fork().find('Recipe', {})));
app.listen(process.env.PORT || 4000);
