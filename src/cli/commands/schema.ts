import { Command } from 'commander';
import { manifestJsonSchema } from '../../batch/manifest.js';
import { projectJsonSchema } from '../../config/schema.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the project-file schema as JSON Schema (for editors and validation); --manifest: the batch manifest\'s')
    .option('--manifest', "print the JSON Schema of batch's manifest (local-impact batch <manifest.json>)")
    .action((options: { manifest?: boolean }) => {
      process.stdout.write(`${JSON.stringify(options.manifest ? manifestJsonSchema() : projectJsonSchema(), null, 2)}\n`);
    });
}
