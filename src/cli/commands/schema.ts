import { Command, InvalidArgumentError } from 'commander';
import { manifestJsonSchema } from '../../batch/manifest.js';
import { projectJsonSchema } from '../../config/schema.js';

const SCHEMAS = { project: projectJsonSchema, manifest: manifestJsonSchema } as const;

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the project-file schema (or, with "manifest", the batch manifest\'s) as JSON Schema, for editors and validation')
    .argument('[which]', 'project (the default) or manifest', (value: string) => {
      if (!Object.hasOwn(SCHEMAS, value)) throw new InvalidArgumentError('choose project or manifest.');
      return value;
    })
    .action((which: keyof typeof SCHEMAS | undefined) => {
      process.stdout.write(`${JSON.stringify(SCHEMAS[which ?? 'project'](), null, 2)}\n`);
    });
}
