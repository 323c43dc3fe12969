#!/usr/bin/env node
// The program is one bundle (dist/bundle, built by `npm run build`): it loads several times faster than
// the module-by-module build. With --debug, stack traces name the TypeScript sources (source maps),
// which must be switched on before the bundle loads.
if (process.argv.includes('--debug') || process.env.LOCAL_IMPACT_DEBUG === '1') process.setSourceMapsEnabled(true);

const { main } = await import('../dist/bundle/main.js');
process.exitCode = await main(process.argv);
