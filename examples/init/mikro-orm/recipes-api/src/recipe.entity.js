import { EntitySchema } from '@mikro-orm/core';

export const Recipe = new EntitySchema({
  name: 'Recipe',
  properties: { id: { type: 'number', primary: true }, title: { type: 'string' } },
});
