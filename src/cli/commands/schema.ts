import { Command } from 'commander';
import { manifestJsonSchema } from '../../batch/manifest.js';
import { projectJsonSchema } from '../../config/schema.js';
import { summaryJsonSchema } from '../../report/record.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the project-file schema as JSON Schema (for editors and validation); --json-summary: the summary record\'s (run --json); --manifest: the batch manifest\'s')
    .option('--json-summary', 'print the JSON Schema of the summary record that run --json prints and compare reads')
    .option('--manifest', "print the JSON Schema of batch's manifest (local-impact batch <manifest.json>)")
    .action((options: { jsonSummary?: boolean; manifest?: boolean }) => {
      const schema = options.manifest ? manifestJsonSchema() : options.jsonSummary ? summaryJsonSchema() : projectJsonSchema();
      process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    });
}
