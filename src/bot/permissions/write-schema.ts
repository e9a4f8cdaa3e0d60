/** `npm run schema:permissions`: writes permissions.schema.json from the zod schema. */
import { writeFile } from 'node:fs/promises';
import { permissionsJsonSchema } from './json-schema.js';

const target = process.argv[2] ?? 'permissions.schema.json';
await writeFile(target, `${JSON.stringify(permissionsJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
