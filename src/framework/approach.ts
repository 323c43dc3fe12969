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
  { number: 5, name: 'Active and connected citizens', measurement: 'partly measured' },
  { number: 6, name: 'Clean and sustainable environment', measurement: 'partly measured' },
  { number: 7, name: 'Good quality services', measurement: 'partly measured' },
];

export const FRAMEWORK_CREDIT = 'Characteristics of the Keep it Local Economic Resilience Framework (Locality, Powerful Communities, Strong Economies, 2017).';

/**
 * The questionnaire for characteristics 2–7: a few questions each, and the items the files measure. The questions
 * are this project's, based on the framework's characteristics and on the measures method.md lists as candidates
 * (banking with a local or mutual institution, space let to local enterprises, volunteers and hours, residents on
 * the board, the Living Wage, staff travel); they are not Locality's text.
 */
export const QUESTIONNAIRE_CREDIT =
  "Questions based on the Keep it Local Economic Resilience Framework (Locality, 2017); the questions, measures and rating rule are local-impact's own.";

export type AnswerKind = 'yes/no' | 'count' | 'percent';

export interface Question {
  /** `3.1`: characteristic, then number. */
  id: string;
  characteristic: number;
  text: string;
  kind: AnswerKind;
  /** Met by a yes; by a count or percentage at least this. */
  bar?: number;
}

export const QUESTIONS: readonly Question[] = [
  { id: '2.1', characteristic: 2, kind: 'yes/no', text: 'Does your purchasing policy favour local suppliers, small businesses and social enterprises?' },
  { id: '2.2', characteristic: 2, kind: 'yes/no', text: 'Do you pay your suppliers within 30 days?' },
  { id: '3.1', characteristic: 3, kind: 'yes/no', text: 'Do you bank with a local or mutual institution (a credit union, building society or community bank)?' },
  { id: '3.2', characteristic: 3, kind: 'yes/no', text: 'Do you hold reserves or investments in local, mutual or ethical funds?' },
  { id: '3.3', characteristic: 3, kind: 'yes/no', text: 'Do you help staff or the people you serve to reach fair credit and savings (e.g. a payroll savings scheme with a credit union)?' },
  { id: '4.1', characteristic: 4, kind: 'yes/no', text: 'Do you own or manage a building or land that the community uses?' },
  { id: '4.2', characteristic: 4, kind: 'percent', bar: 50, text: 'What share of the space you let is let to local enterprises and community groups?' },
  { id: '4.3', characteristic: 4, kind: 'count', bar: 1, text: 'How many local groups used your space in the year?' },
  { id: '5.1', characteristic: 5, kind: 'count', bar: 1, text: 'How many volunteers gave their time in the year?' },
  { id: '5.2', characteristic: 5, kind: 'count', bar: 1, text: 'How many hours did volunteers give in the year?' },
  { id: '5.3', characteristic: 5, kind: 'count', bar: 1, text: 'How many local residents sit on your board?' },
  { id: '5.4', characteristic: 5, kind: 'yes/no', text: 'Do residents and the people you serve have a say in your decisions (open meetings, members, forums)?' },
  { id: '6.1', characteristic: 6, kind: 'yes/no', text: 'Do you have an environmental policy with targets?' },
  { id: '6.2', characteristic: 6, kind: 'yes/no', text: 'Do you measure your carbon footprint?' },
  { id: '7.1', characteristic: 7, kind: 'yes/no', text: 'Do you ask the people you serve about the quality of your services, and act on what they say?' },
  { id: '7.2', characteristic: 7, kind: 'yes/no', text: 'Do you hold a quality mark or accreditation for your services?' },
  { id: '7.3', characteristic: 7, kind: 'yes/no', text: 'Are you accredited as a Real Living Wage employer?' },
];

/** What the files measure for characteristics 2–7, each with its bar; measured in framework/assess.ts. */
export interface MeasuredItem {
  id: string;
  characteristic: number;
  text: string;
}

export const MEASURED_ITEMS: readonly MeasuredItem[] = [
  { id: '2.m1', characteristic: 2, text: 'Spend with SMEs and VCSEs: at least 25% of spend' },
  { id: '2.m2', characteristic: 2, text: 'Supplier concentration: the 10 largest suppliers take no more than 60% of spend' },
  { id: '2.m3', characteristic: 2, text: 'Local suppliers: at least half of spend with suppliers in the area' },
  { id: '2.m4', characteristic: 2, text: 'Jobs enabled in tenant organisations (tenants register): at least one' },
  { id: '5.m1', characteristic: 5, text: 'Local jobs: at least half of FTE held by staff living in the area' },
  { id: '6.m1', characteristic: 6, text: 'Staff travel: at least half of staff live within 5 miles of the workplace' },
  { id: '7.m1', characteristic: 7, text: 'Living Wage: at least 90% of staff with an hourly rate paid at least the Living Wage' },
];

/** How a characteristic's rating follows from its items: the rule the Framework page states. */
export const RATING_RULE = [
  'Each item — a question answered, or a figure the files measure — is met or not met; an item not answered (or not measurable from the files given) counts as neither.',
  'evidenced: at least two-thirds of the characteristic\'s items are met, and the organisation has given its own words on it.',
  'partly: at least one item is met.',
  'not yet: items are answered, and none is met.',
  'not assessed: no item is answered.',
] as const;

export type Rating = 'evidenced' | 'partly' | 'not yet' | 'not assessed';

/** The questionnaire form's header row: the rows above it are its title and notes, which its reader expects. */
export const QUESTIONNAIRE_HEADER_ROW = 5;
