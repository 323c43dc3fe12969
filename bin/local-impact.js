#!/usr/bin/env node
import { loadBundle, requireBundle } from './load.js';

// --debug: stack traces name the TypeScript sources (source maps, read by Node's own loader).
const debug = process.argv.includes('--debug') || process.env.LOCAL_IMPACT_DEBUG === '1';
if (debug) process.setSourceMapsEnabled(true);
const { main } = debug ? requireBundle() : loadBundle().exports;
process.exitCode = await main(process.argv);
