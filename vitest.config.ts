import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Tests never see a postcode directory the developer imported: each run starts from an empty home
    // (the geography tests import their own into a temporary one).
    env: { LOCAL_IMPACT_HOME: mkdtempSync(join(tmpdir(), 'local-impact-test-home-')) },
  },
});
