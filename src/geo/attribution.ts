/** The Open Government Licence notices the ONS and MHCLG require wherever their data is used: the CLI and the reports print them. */

/** The ONS postcode directory (NSPL/ONSPD) carries OS and Royal Mail data as well as the ONS's own. */
export const OGL_ATTRIBUTION =
  'Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right; ' +
  'Source: Office for National Statistics licensed under the Open Government Licence v.3.0.';

/** The English Indices of Deprivation. */
export const IMD_ATTRIBUTION = 'Contains public sector information from MHCLG, licensed under the Open Government Licence v3.0.';
