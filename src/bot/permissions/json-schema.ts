import { z } from 'zod';
import { permissionsSchema } from './schema.js';

/** The JSON Schema of permissions.json (published as permissions.schema.json). */
export function permissionsJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(permissionsSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'teambot permissions.json',
  };
}
