import { Command } from 'commander';
import { projectJsonSchema } from '../../config/schema.js';

export function schemaCommand(): Command {
  return new Command('schema').description('print the project-file schema as JSON Schema (for editors and validation)').action(() => {
    process.stdout.write(`${JSON.stringify(projectJsonSchema(), null, 2)}\n`);
  });
}
