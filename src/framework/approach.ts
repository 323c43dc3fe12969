/**
 * The 10 steps and 7 characteristics, in one place so their wording can change in one place.
 * The steps are this project's reading of Locality's Keep it Local approach ("based on"), not Locality's text;
 * the characteristics are the Economic Resilience Framework's own names (Powerful Communities, Strong Economies, 2017).
 */
export const APPROACH_CREDIT =
  'Steps based on the Keep it Local approach (Locality, with NEF Consulting); wording is local-impact\'s own.';

/** The statement's credit: the approach is Locality's and NEF Consulting's, the words are this tool's. */
export const KEEP_IT_LOCAL_CREDIT = "Based on Keep it Local (Locality, with NEF Consulting): its approach and its Economic Resilience Framework. The wording and the calculations are local-impact's own.";

export interface StepDefinition {
  number: number;
  title: string;
  summary: string;
}

export const STEPS: readonly StepDefinition[] = [
  { number: 1, title: 'Scope', summary: 'The organisation, the period (UK financial year by default), and Round 1: the income or contract being followed.' },
  { number: 2, title: 'Define local', summary: 'The boundary: postcode areas or districts, council areas, or a radius; optionally nested tiers.' },
  { number: 3, title: 'Gather the data', summary: 'Supplier payments, payroll with staff home postcodes, supplier register, survey returns, tenants.' },
  { number: 4, title: 'Locate suppliers', summary: "Resolve each supplier's postcode (ledger, supplier register, or by hand for the largest) and classify it local, non-local or unknown." },
  { number: 5, title: 'Analyse spend', summary: 'Local share, leakage, by category, by supplier type, to deprived areas, concentration.' },
  { number: 6, title: 'Analyse the workforce', summary: 'Staff living locally, pay to local residents, local jobs (FTE), pay at or above the Living Wage.' },
  { number: 7, title: 'Trace re-spend', summary: 'Round 3: supplier and staff surveys, or stated assumptions.' },
  { number: 8, title: 'Calculate the multiplier', summary: 'LM3 and leakage, with the range that unknowns allow.' },
  { number: 9, title: 'Evidence the wider framework', summary: 'Enabled contribution of tenants, and the self-assessment of characteristics 2–7.' },
  { number: 10, title: 'Plan improvement', summary: 'Scenarios (shift spend to local suppliers, recruit locally), targets, and the year-on-year comparison.' },
];

export interface CharacteristicDefinition {
  number: number;
  name: string;
  /** How this tool evidences it. */
  measurement: 'measured' | 'partly measured' | 'self-assessed';
}

export const CHARACTERISTICS: readonly CharacteristicDefinition[] = [
  { number: 1, name: 'Positive flow of money and resources', measurement: 'measured' },
  { number: 2, name: 'Network of diverse, responsible businesses and enterprises', measurement: 'partly measured' },
  { number: 3, name: 'Inclusive finance system with stable financial institutions', measurement: 'self-assessed' },
  { number: 4, name: 'Positive and productive use of local assets', measurement: 'self-assessed' },
  { number: 5, name: 'Active and connected citizens', measurement: 'self-assessed' },
  { number: 6, name: 'Clean and sustainable environment', measurement: 'self-assessed' },
  { number: 7, name: 'Good quality services', measurement: 'self-assessed' },
];

export const FRAMEWORK_CREDIT = 'Characteristics of the Keep it Local Economic Resilience Framework (Locality, Powerful Communities, Strong Economies, 2017).';
