import { Command } from 'commander';
import { projectJsonSchema } from '../../config/schema.js';
import { summaryJsonSchema } from '../../report/record.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the project-file schema as JSON Schema (for editors and validation); --json-summary: the summary record\'s (run --json)')
    .option('--json-summary', 'print the JSON Schema of the summary record that run --json prints and compare reads')
    .action((options: { jsonSummary?: boolean }) => {
      process.stdout.write(`${JSON.stringify(options.jsonSummary ? summaryJsonSchema() : projectJsonSchema(), null, 2)}\n`);
    });
}
