/**
 * The reference tables the generator draws from: countries with their consumer and mobile carriers,
 * hosting and VPN networks, email domains, capabilities with token sizes, and how opaque identifiers and
 * IP addresses are spelled. Nothing here is random; random choices over these tables live in the groups.
 */
import { csvText } from '../core/csv';
import { mix32 } from './random';

export interface Carrier { asn: string; /** index of this network's address block, see blockAddress */ block: number }

export interface CountryProfile {
  code: string;
  /** Share of the organic population. */
  weight: number;
  home: Carrier[];
  mobile: Carrier;
}

let nextBlock = 0;
function carrier(asn: number): Carrier {
  return { asn: `AS${asn}`, block: nextBlock++ };
}

/** Big consumer ISPs and mobile carriers per country (real ASNs, for plausibility; addresses are synthetic). */
export const COUNTRIES: CountryProfile[] = [
  { code: 'US', weight: 33, home: [carrier(7922), carrier(20115), carrier(7018), carrier(701)], mobile: carrier(21928) },
  { code: 'IN', weight: 10, home: [carrier(24560), carrier(45609)], mobile: carrier(55836) },
  { code: 'GB', weight: 7, home: [carrier(2856), carrier(5089)], mobile: carrier(12576) },
  { code: 'DE', weight: 6, home: [carrier(3320), carrier(3209)], mobile: carrier(6805) },
  { code: 'FR', weight: 5, home: [carrier(3215), carrier(12322)], mobile: carrier(5410) },
  { code: 'BR', weight: 5, home: [carrier(28573), carrier(18881)], mobile: carrier(26599) },
  { code: 'CA', weight: 4, home: [carrier(812), carrier(577)], mobile: carrier(22652) },
  { code: 'JP', weight: 4, home: [carrier(4713), carrier(2516)], mobile: carrier(9605) },
  { code: 'KR', weight: 3, home: [carrier(4766), carrier(9318)], mobile: carrier(17858) },
  { code: 'ES', weight: 3, home: [carrier(3352)], mobile: carrier(12430) },
  { code: 'IT', weight: 3, home: [carrier(3269)], mobile: carrier(30722) },
  { code: 'NL', weight: 2, home: [carrier(1136)], mobile: carrier(33915) },
  { code: 'PL', weight: 2, home: [carrier(5617)], mobile: carrier(12912) },
  { code: 'AU', weight: 2, home: [carrier(1221)], mobile: carrier(4804) },
  { code: 'MX', weight: 2, home: [carrier(8151)], mobile: carrier(28403) },
  { code: 'SG', weight: 1, home: [carrier(9506)], mobile: carrier(4773) },
  { code: 'SE', weight: 1, home: [carrier(3301)], mobile: carrier(1257) },
  { code: 'TR', weight: 1, home: [carrier(9121)], mobile: carrier(15897) },
  { code: 'VN', weight: 1, home: [carrier(7552)], mobile: carrier(45899) },
  { code: 'NG', weight: 1, home: [carrier(29465)], mobile: carrier(36873) },
];

/**
 * Cloud and hosting networks, commercial VPN providers (VPN users), enterprise egress. The datacenter swarm
 * rents from HOSTING 0, 2 and 3; tactic swarms with private hosting exits from 1 and 4.
 */
export const HOSTING: Carrier[] = [carrier(16509), carrier(14061), carrier(24940), carrier(63949), carrier(16276)];
export const VPN_PROVIDERS: Carrier[] = [carrier(9009), carrier(60068), carrier(212238), carrier(136787)];
export const CAMPUS_NETWORK: Carrier = carrier(1312);
export const ENTERPRISE_ISP: Carrier[] = [carrier(174), carrier(3356), carrier(6461)];
/** Cloud security proxies that some companies route all office traffic through: flagged is_proxy, yet legitimate. */
export const SECURE_WEB_GATEWAYS: Carrier[] = [carrier(22616), carrier(53813)];

/** First octets used for synthetic public address blocks (avoiding private, CGNAT, loopback and multicast ranges). */
const PUBLIC_OCTETS = [
  24, 31, 37, 41, 45, 46, 49, 50, 62, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 102, 103, 104, 105, 106, 107, 108, 109,
];
const BLOCK_BITS = 22;

/**
 * Address number `index` (0 ≤ index < 2^22) inside a carrier's /10 block, scattered by an odd multiplier
 * (a bijection mod 2^22) so neighbouring households do not sit in one /24. Distinct (block, index) pairs
 * give distinct addresses.
 */
export function blockAddress(block: number, index: number): string {
  if (index >= 2 ** BLOCK_BITS) throw new Error(`address index ${index} exceeds a /10 block`);
  const octet = PUBLIC_OCTETS[block >> 2];
  const offset = (Math.imul(index, 0x9e3779b1) >>> 0) & (2 ** BLOCK_BITS - 1);
  const value = (((block & 3) << BLOCK_BITS) | offset) >>> 0;
  return `${octet}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * An IPv6 address (compressed form), unique per (block, region, index): the carrier's prefix, a region
 * (what the address is for) and a /64 scrambled by a bijection of index.
 */
export function blockAddress6(block: number, region: number, index: number): string {
  const scrambled = mix32(index);
  return `2a${(block + 16).toString(16).padStart(2, '0')}:${(0x1000 + region).toString(16)}:${(scrambled >>> 16).toString(16)}:${(scrambled & 0xffff).toString(16)}::1`;
}

/** Capabilities with the token sizes of one typical exchange (input, output). */
export const CAPABILITIES = [
  'software_engineering', 'agentic_reasoning', 'writing', 'data_analysis', 'math', 'translation', 'chat',
  'summarization', 'research', 'education',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const CAPABILITY_INDEX: Record<Capability, number> = Object.fromEntries(
  CAPABILITIES.map((name, index) => [name, index]),
) as Record<Capability, number>;
export const TOKENS_PER_EXCHANGE: Record<Capability, [number, number]> = {
  software_engineering: [2400, 900],
  agentic_reasoning: [5200, 1400],
  writing: [600, 700],
  data_analysis: [1800, 600],
  math: [400, 800],
  translation: [700, 700],
  chat: [300, 350],
  summarization: [3000, 400],
  research: [1200, 1100],
  education: [500, 600],
};
/** How often each capability is someone's main use in the organic population. */
export const ORGANIC_CAPABILITY_WEIGHTS: Record<Capability, number> = {
  chat: 24, writing: 19, software_engineering: 17, data_analysis: 9, math: 7, translation: 7, summarization: 6,
  research: 5, education: 3, agentic_reasoning: 3,
};

/**
 * Official client SDKs whose default HTTP/TLS stack shows one fingerprint for everyone who uses them
 * unchanged: a legitimate hub among developers. [name, fingerprint kind, share of SDK users].
 */
export const PUBLIC_SDKS: ReadonlyArray<readonly [string, 'tls' | 'other', number]> = [
  ['python-sdk', 'tls', 0.5], ['typescript-sdk', 'tls', 0.3], ['go-sdk', 'other', 0.2],
];

/**
 * Time zones people in each country live in, in minutes east of UTC (wide countries list several, weighted by
 * repetition); daylight saving is ignored. Behaviour worlds place each person's day in their own zone.
 */
export const UTC_OFFSETS: Record<string, readonly number[]> = {
  US: [-300, -300, -300, -360, -360, -420, -480, -480], IN: [330], GB: [0], DE: [60], FR: [60], BR: [-180, -180, -240],
  CA: [-300, -300, -360, -480], JP: [540], KR: [540], ES: [60], IT: [60], NL: [60], PL: [60], AU: [600, 600, 480], MX: [-360],
  SG: [480], SE: [60], TR: [180], VN: [420], NG: [60],
};

/**
 * Client software as exchanges.csv's `client` column spells it (family/version; invented, generic names).
 * `versions` oldest first with how often each is seen among the family's users.
 */
export interface ClientFamily { family: string; versions: readonly string[]; versionWeights: readonly number[] }

/** Public SDKs in the order of PUBLIC_SDKS' fingerprints (python, typescript, go), then java; `share` of SDK users. */
export const SDK_CLIENTS: ReadonlyArray<ClientFamily & { share: number }> = [
  { family: 'python-sdk', versions: ['1.39.4', '1.40.2', '1.41.0', '1.42.0'], versionWeights: [10, 20, 30, 40], share: 0.5 },
  { family: 'typescript-sdk', versions: ['4.7.3', '4.8.1', '4.9.0'], versionWeights: [20, 35, 45], share: 0.3 },
  { family: 'go-sdk', versions: ['0.6.1', '0.7.3'], versionWeights: [40, 60], share: 0.12 },
  { family: 'java-sdk', versions: ['2.2.5', '2.3.0'], versionWeights: [45, 55], share: 0.08 },
];
/** The popular open-source agent framework: its own client, and a default scaffold thousands of users never change. */
export const AGENT_FRAMEWORK: ClientFamily = { family: 'agent-framework', versions: ['0.12.5', '0.13.2', '0.14.0'], versionWeights: [15, 35, 50] };
/** What people who do not program call the API through: the platform's web console, an open-source chat front end, plain HTTP. */
export const CONSUMER_CLIENTS: ReadonlyArray<ClientFamily & { share: number }> = [
  { family: 'web-console', versions: ['2026.08', '2026.09'], versionWeights: [40, 60], share: 0.55 },
  { family: 'chat-desktop', versions: ['3.1.4', '3.2.0'], versionWeights: [50, 50], share: 0.25 },
  { family: 'http-client', versions: ['1.1'], versionWeights: [1], share: 0.2 },
];
/** Operators' own harnesses (invented names); a swarm's harness is `<name>/<version>`, unique to it. */
export const HARNESS_NAMES = ['batch-runner', 'taskpipe', 'relay-worker', 'qrunner', 'fleet-agent', 'jobmesh', 'pipeline-cli', 'gridcall'];

export function clientName(family: ClientFamily, version: number): string {
  return `${family.family}/${family.versions[version]}`;
}

export const CONSUMER_EMAIL_DOMAINS: Array<[string, number]> = [
  ['gmail.com', 42], ['outlook.com', 11], ['yahoo.com', 7], ['icloud.com', 7], ['hotmail.com', 5], ['proton.me', 3],
  ['gmx.de', 2], ['web.de', 2], ['qq.com', 2], ['orange.fr', 1], ['yandex.ru', 1], ['naver.com', 1],
  ['mail.ru', 1], ['163.com', 1], ['free.fr', 1], ['btinternet.com', 1],
];
/** Disposable-mail services of the kind bulk sign-ups use (invented names). */
export const THROWAWAY_EMAIL_DOMAINS = [
  'tempinbox.cc', 'throwmail.net', 'inboxnow.xyz', 'mailfly.top', 'zmail.click', 'fastbox.site', 'burnermail.link',
  'quickpost.email', 'onetime.rest', 'nullbox.icu', 'spamfree.bond', 'minutemail.cyou',
];
const COMPANY_WORDS = [
  'acme', 'northwind', 'contoso', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'hooli',
  'piedpiper', 'vandelay', 'dunder', 'soylent', 'wonka', 'gringotts', 'oscorp', 'aperture', 'blackmesa',
];
const COMPANY_SUFFIXES = ['robotics', 'labs', 'systems', 'data', 'cloud', 'analytics', 'software', 'bank', 'health', 'logistics'];
const COMPANY_TLDS = ['com', 'io', 'de', 'co.uk', 'ai', 'net'];

/** A company's email domain, distinct for each index below 1,200. */
export function companyDomain(index: number): string {
  const word = COMPANY_WORDS[index % COMPANY_WORDS.length];
  const suffix = COMPANY_SUFFIXES[Math.floor(index / COMPANY_WORDS.length) % COMPANY_SUFFIXES.length];
  const tld = COMPANY_TLDS[Math.floor(index / (COMPANY_WORDS.length * COMPANY_SUFFIXES.length)) % COMPANY_TLDS.length];
  return `${word}-${suffix}.${tld}`;
}

/** Identifier namespaces: an opaque token is unique per (namespace, index), see token(). */
export const TOKEN = {
  personalCard: 1,
  secondCard: 2,
  familyCard: 3,
  corporateCard: 4,
  studentCard: 5,
  tlsCommon: 6,
  personalDevice: 7,
  deviceImage: 8,
  campusDevice: 9,
  resellerCard: 10,
  sdkDefault: 11,
  /** Templates (behaviour worlds): a person's own scaffolds, public defaults, and groups' shared scaffolds. */
  personalTemplate: 12,
  publicTemplate: 13,
  groupTemplate: 14,
  /** Swarm namespaces are offset by the swarm's number (0–15). */
  swarmSharedCard: 16,
  swarmOwnCard: 32,
  swarmFingerprint: 48,
  /** Tactic swarm i (0–31) owns namespaces 64 + 4i … 64 + 4i + 3 (see TACTIC_TOKEN). */
  tacticSwarm: 64,
} as const;
/** The four namespaces of one tactic swarm, as offsets from TOKEN.tacticSwarm + 4 × its index. */
export const TACTIC_TOKEN = { sharedCard: 0, ownCard: 1, fingerprint: 2 } as const;

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * An opaque identifier: 16 (or 32) hex digits from four bijections of (namespace << 24 | index), so two
 * different (namespace, index) pairs never give the same token. index must be below 2^24.
 */
export function token(seedKey: number, namespace: number, index: number, long = false): string {
  if (index >= 2 ** 24) throw new Error(`token index ${index} exceeds 2^24`);
  const base = ((namespace << 24) | index) >>> 0;
  const first = hex8(mix32(base ^ seedKey));
  const second = hex8(mix32((base ^ seedKey) + 0x5bd1e995));
  if (!long) return first + second;
  return first + second + hex8(mix32((base ^ seedKey) + 0x27d4eb2d)) + hex8(mix32((base ^ seedKey) + 0x165667b1));
}

/**
 * Dates as the contract spells them. Millions of link rows each carry two timestamps, so days are
 * formatted once and cached, and times of day come from a table: no Date object per row.
 */
const dayStrings = new Map<number, string>();
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export function isoDay(dayNumber: number): string {
  let text = dayStrings.get(dayNumber);
  if (text === undefined) {
    text = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    dayStrings.set(dayNumber, text);
  }
  return text;
}

/** `THH:MM:00Z` for each minute of the day: a minute-level timestamp is a cached day plus one of these. */
export const MINUTE_OF_DAY = Array.from({ length: 1440 }, (_, m) => `T${TWO_DIGITS[Math.floor(m / 60)]}:${TWO_DIGITS[m % 60]}:00Z`);

/** YYYY-MM-DDTHH:MM:SSZ, truncated to the second. */
export function isoTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  let rest = seconds - day * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  return `${isoDay(day)}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[rest - minutes * 60]}Z`;
}

/** A string cell written once per distinct value through the shared CSV writer (quoting, formula neutralisation). */
export const cell = csvText;
