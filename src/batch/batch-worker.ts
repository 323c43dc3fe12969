import { batchOrganisation } from './organisation.js';

/** The batch pool's worker (piscina loads this file in each thread): one organisation per task. */
export default batchOrganisation;
