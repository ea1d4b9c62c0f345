/**
 * Every knob of the synthetic world, its default, and how defaults scale with --accounts.
 * docs/generator.md documents each one; resolveOptions is the only place defaults are decided.
 */
import { swarmscopeError } from '../core/errors';
import { MAX_TACTIC_SWARMS } from './model';
import { PLANTED_SHARE, TACTIC_NAMES, TACTIC_SWARM_SIZE, parseTacticItem, tacticsNeedBehaviour } from './tactics';

export interface GenerateOptions {
  /** Output folder; created if missing. Files inside it are overwritten. */
  out: string;
  /** Accounts in week 1 (all groups together). Default 100,000. */
  accounts?: number;
  seed?: number;
  /** 1 = the first export; 2 = the same world one week later (big swarm +20%, a new 1,200-account swarm). */
  week?: number;
  /** First day of the observation window (UTC, YYYY-MM-DD). The window is 45 days in week 1, +7 per later week. */
  startDate?: string;
  /**
   * The big residential-proxy swarm. Default 2.5% of accounts (the 1M world's proportion), at most 25,000:
   * 2,500 at the default 100,000, 25,000 at 1,000,000. Explicit values may go up to 25% of accounts.
   */
  swarmSize?: number;
  /** Prepaid/virtual cards shared inside the big swarm. Default 1,800 × swarmSize / 25,000. */
  swarmCards?: number;
  /** Share of big-swarm accounts with a card of their own (camouflage) instead of a shared one. Default 0.25. */
  swarmUniqueCardShare?: number;
  /** Share of big-swarm accounts that share nothing but hubs (own card, own line, common TLS): graph-invisible. Default 0. */
  swarmIsolatedShare?: number;
  /** Exchanges per big-swarm account per day: 28.8M / 25,000 / 45 = 25.6. */
  swarmDailyExchanges?: number;
  /** Residential proxy exits the big swarm rotates through. Default 16% of swarmSize. */
  swarmExits?: number;
  /** Share of those exits that IP intelligence flags is_proxy=true. Default 0.7. */
  swarmExitProxyShare?: number;
  /** Exits that are the home IP of a real household (bystanders). Default 5% of swarmExits. */
  bystanderHouseholds?: number;
  /** Automation/proxy fingerprints the big swarm's tooling shows. Default 24. */
  swarmFingerprints?: number;
  /** Datacenter swarm: one card per account, hosting IPs, one automation fingerprint. Default min(2,000, 1% of accounts). */
  datacenterSwarmSize?: number;
  /** Payment-ring swarm: accounts sharing three payment methods. Default min(150, 1% of accounts). */
  paymentRingSize?: number;
  /** Week 2 only: the new swarm's size. Default 1,200 (at most 2% of accounts). */
  newSwarmSize?: number;
  /** Students behind the campus NAT. Default min(2,000, 0.8% of accounts). */
  campusSize?: number;
  campusNatIps?: number;
  /** Enterprise developer teams (10–300 accounts each, one corporate card). Default 1 per 15,000 accounts. */
  enterpriseTeams?: number;
  /** Share of organic accounts that also use a mobile carrier's NAT. Default 0.35. */
  mobileShare?: number;
  /** Carrier-grade NAT addresses shared by all mobile users. Default 1 per 6,000 accounts (at least 3). */
  mobileNatIps?: number;
  /** Share of organic accounts that use a commercial VPN. Default 0.03. */
  vpnShare?: number;
  /** Commercial VPN exits. Default one per 60 VPN users (at least 5). */
  vpnExits?: number;
  /** Common browser TLS fingerprints (hubs). Default 12. */
  tlsFingerprints?: number;
  /** Share of small exchange cells (≤ 3 exchanges) written one row per exchange with a time of day. Default 0.3. */
  rawExchangeShare?: number;
  /**
   * Plant tactic swarms from the catalogue (src/generate/tactics.ts) instead of the classic three: a list
   * (each item one swarm's tactic, or several joined by '+', applied to the BASE swarm), or 'random' (each
   * swarm a mixture of 1–3 tactics drawn from the seed). The classic swarms' sizes then default to 0.
   */
  tactics?: string[] | 'random';
  /** Tactic swarms to plant. Default one per listed item; 3 for random. Needs tactics. */
  swarms?: number;
  /** Size of every tactic swarm (tiny ones excepted). Default 0 = drawn from the seed, log-uniform 20–30,000. Needs tactics. */
  tacticSwarmSize?: number;
  /** Resellers (agencies) paying for 10–500 ordinary clients each with one card. Default 0; with tactics max(3, accounts / 20,000). */
  resellers?: number;
  /** Share of active organic developers showing a public SDK's default fingerprint. Default 0; with tactics 0.25. */
  sdkShare?: number;
  /**
   * Size of enterprise_team_01; when above 0 the other teams are 5–2,000 (log-normal, median 40) instead of
   * 10–300. Default 0; with tactics 2% of accounts within 50–2,000.
   */
  largestTeam?: number;
  /**
   * Behaviour: exchanges.csv at minute resolution with the request's template and client columns, people on
   * their own clocks (time zones, diurnal and weekly cycles, office hours), public SDK and agent-framework
   * defaults, classes doing homework together, public events, and swarms on operators' schedules. Default
   * false (the classic exchanges.csv); the behaviour tactics turn it on.
   */
  behaviour?: boolean;
  /** Write the five contract files as .csv.gz (the importer reads both). Default false. */
  gzip?: boolean;
  /** Called after each batch of accounts, for a progress line. */
  progress?: (accountsDone: number, accountsTotal: number) => void;
}

export type ResolvedOptions = Required<Omit<GenerateOptions, 'progress' | 'tactics'>> & {
  /** The validated tactic list (each item tactics joined by '+', in catalogue order), 'random', or null for a classic world. */
  tactics: string[] | 'random' | null;
  progress?: GenerateOptions['progress'];
  /** Days in week 1's window, and in this week's window. */
  baseDays: number;
  days: number;
  startDay: number;
  /** Big swarm members in week 1 (continuing ranks) and now. */
  swarmSizeNow: number;
  newSwarmSizeNow: number;
};

export const GENERATE_DEFAULTS = {
  accounts: 100_000,
  seed: 1,
  week: 1,
  startDate: '2026-09-01',
  swarmUniqueCardShare: 0.25,
  swarmIsolatedShare: 0,
  swarmDailyExchanges: 28_800_000 / 25_000 / 45,
  swarmExitProxyShare: 0.7,
  swarmFingerprints: 24,
  campusNatIps: 4,
  mobileShare: 0.35,
  vpnShare: 0.03,
  tlsFingerprints: 12,
  rawExchangeShare: 0.3,
  windowDays: 45,
  weekGrowth: 0.2,
  /** Week-2 organic sign-ups, as a share of organic accounts. */
  weeklySignups: 0.01,
  /** Tactic worlds: swarms planted with --tactics random unless --swarms says otherwise. */
  randomSwarms: 3,
  sdkShare: 0.25,
} as const;

/**
 * Knobs that came with the tactic catalogue, and the value that means "off". A classic world (no tactics)
 * leaves a knob that is off out of truth.json, so its truth stays byte-identical to worlds written before.
 */
export const TACTIC_KNOBS_OFF = { tactics: null, swarms: 0, tacticSwarmSize: 0, resellers: 0, sdkShare: 0, largestTeam: 0 } as const;
/** Knobs left out of truth.json in every world when off, so worlds written without them keep their bytes. */
export const LATER_KNOBS_OFF = { behaviour: false } as const;

function integer(name: string, value: number, low: number, high: number): number {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw swarmscopeError('BAD_ARGUMENT', `--${name} must be an integer from ${low} to ${high}, got ${value}`);
  }
  return value;
}

function share(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw swarmscopeError('BAD_ARGUMENT', `--${name} must be a number from 0 to 1, got ${value}`);
  }
  return value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** --tactics: 'random', or a non-empty list whose items are catalogue tactics joined by '+'. */
function resolveTactics(options: GenerateOptions): string[] | 'random' | null {
  const given = options.tactics;
  if (given === undefined) return null;
  if (given === 'random') return 'random';
  if (!Array.isArray(given) || given.length === 0) {
    throw swarmscopeError('BAD_ARGUMENT', `--tactics must be random or a comma-separated list of tactics (${TACTIC_NAMES.join(', ')})`);
  }
  return given.map((item) => parseTacticItem(String(item)).join('+'));
}

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  if (!options.out) throw swarmscopeError('BAD_ARGUMENT', '--out is required: the folder to write the world into');
  const D = GENERATE_DEFAULTS;
  const int = (key: keyof GenerateOptions, fallback: number, low: number, high: number): number =>
    integer(kebab(key), (options[key] as number | undefined) ?? fallback, low, high);
  const shareOf = (key: keyof GenerateOptions, fallback: number): number =>
    share(kebab(key), (options[key] as number | undefined) ?? fallback);

  const accounts = int('accounts', D.accounts, 200, 2_000_000);
  const seed = int('seed', D.seed, 0, 2 ** 32 - 1);
  const week = int('week', D.week, 1, 2);
  const startDate = options.startDate ?? D.startDate;
  const startMs = Date.parse(`${startDate}T00:00:00Z`);
  // Round-trip through toISOString so 2026-02-30 (which Date.parse rolls over into March) is rejected too.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(startMs) || new Date(startMs).toISOString().slice(0, 10) !== startDate) {
    throw swarmscopeError('BAD_ARGUMENT', `--start-date must be a date like 2026-09-01, got ${startDate}`);
  }
  const tactics = resolveTactics(options);
  // A tactic world plants its tactic swarms instead of the classic ones (unless their sizes are given).
  const classic = tactics === null;
  const swarmSize = int('swarmSize', classic ? Math.min(25_000, Math.round(accounts * 0.025)) : 0, 0, Math.floor(accounts * 0.25));
  const swarmCards = int('swarmCards', Math.max(1, Math.round((1800 * swarmSize) / 25_000)), 1, Math.max(1, swarmSize));
  const swarmExits = int('swarmExits', Math.max(2, Math.round(swarmSize * 0.16)), 1, 2 ** 17);
  const bystanderHouseholds = int('bystanderHouseholds', classic || swarmSize > 0 ? Math.max(1, Math.round(swarmExits * 0.05)) : 0, 0, swarmExits);
  const datacenterSwarmSize = int('datacenterSwarmSize', classic ? Math.min(2000, Math.round(accounts * 0.01)) : 0, 0, Math.floor(accounts * 0.1));
  const paymentRingSize = int('paymentRingSize', classic ? Math.min(150, Math.round(accounts * 0.01)) : 0, 0, Math.floor(accounts * 0.1));
  const newSwarmSize = int('newSwarmSize', classic ? Math.min(1200, Math.round(accounts * 0.02)) : 0, 0, Math.floor(accounts * 0.1));
  const campusSize = int('campusSize', Math.min(2000, Math.round(accounts * 0.008)), 0, Math.floor(accounts * 0.1));
  const enterpriseTeams = int('enterpriseTeams', Math.max(classic ? 1 : 3, Math.round(accounts / (classic ? 15_000 : 10_000))), 0, 1000);
  for (const key of ['swarms', 'tacticSwarmSize'] as const) {
    if (classic && options[key] !== undefined) throw swarmscopeError('BAD_ARGUMENT', `--${kebab(key)} needs --tactics (the tactic swarms to plant)`);
  }
  const swarms = classic ? 0 : int('swarms', tactics === 'random' ? D.randomSwarms : tactics.length, 1, MAX_TACTIC_SWARMS);
  const tacticSwarmSize = classic ? 0 : int('tacticSwarmSize', 0, 0, Math.min(TACTIC_SWARM_SIZE.fixedMax, Math.floor(accounts * PLANTED_SHARE)));
  if (tacticSwarmSize > 0 && tacticSwarmSize < TACTIC_SWARM_SIZE.min) throw swarmscopeError('BAD_ARGUMENT', `--tactic-swarm-size must be 0 (drawn) or at least 20, got ${tacticSwarmSize}`);
  const largestTeamLimit = Math.min(2000, Math.floor(accounts * 0.1));
  const largestTeam = int('largestTeam', classic ? 0 : Math.min(largestTeamLimit, Math.max(50, Math.round(accounts * 0.02))), 0, largestTeamLimit);
  const mobileNatIps = int('mobileNatIps', Math.max(3, Math.round(accounts / 6000)), 1, 100_000);
  const vpnShare = shareOf('vpnShare', D.vpnShare);
  const swarmDailyExchanges = (options.swarmDailyExchanges ?? D.swarmDailyExchanges);
  if (!Number.isFinite(swarmDailyExchanges) || swarmDailyExchanges <= 0 || swarmDailyExchanges > 10_000) {
    throw swarmscopeError('BAD_ARGUMENT', `--swarm-daily-exchanges must be a number above 0 and at most 10000, got ${swarmDailyExchanges}`);
  }

  // The organic population is decided later (after team sizes); it is about 90% of accounts at defaults.
  const organicVpnUsers = Math.round(accounts * 0.9 * vpnShare);
  const vpnExits = int('vpnExits', Math.max(5, Math.round(organicVpnUsers / 60)), 1, 2 ** 20);
  const startDay = Math.floor(startMs / 86_400_000);
  const later = week > 1;

  return {
    out: options.out,
    accounts,
    seed,
    week,
    startDate,
    swarmSize,
    swarmCards,
    swarmUniqueCardShare: shareOf('swarmUniqueCardShare', D.swarmUniqueCardShare),
    swarmIsolatedShare: shareOf('swarmIsolatedShare', D.swarmIsolatedShare),
    swarmDailyExchanges,
    swarmExits,
    swarmExitProxyShare: shareOf('swarmExitProxyShare', D.swarmExitProxyShare),
    bystanderHouseholds,
    swarmFingerprints: int('swarmFingerprints', Math.min(D.swarmFingerprints, Math.max(2, Math.round(swarmSize / 100))), 1, 4096),
    datacenterSwarmSize,
    paymentRingSize,
    newSwarmSize,
    campusSize,
    campusNatIps: int('campusNatIps', D.campusNatIps, 1, 256),
    enterpriseTeams,
    mobileShare: shareOf('mobileShare', D.mobileShare),
    mobileNatIps,
    vpnShare,
    vpnExits,
    tlsFingerprints: int('tlsFingerprints', D.tlsFingerprints, 1, 1000),
    rawExchangeShare: shareOf('rawExchangeShare', D.rawExchangeShare),
    tactics,
    swarms,
    tacticSwarmSize,
    resellers: int('resellers', classic ? 0 : Math.max(3, Math.round(accounts / 20_000)), 0, 1000),
    sdkShare: shareOf('sdkShare', classic ? 0 : D.sdkShare),
    largestTeam,
    // A behaviour tactic needs the behaviour columns: asking for one turns them on.
    behaviour: options.behaviour === true || tacticsNeedBehaviour(tactics),
    gzip: options.gzip ?? false,
    progress: options.progress,
    baseDays: D.windowDays,
    days: D.windowDays + 7 * (week - 1),
    startDay,
    swarmSizeNow: later ? swarmSize + Math.round(swarmSize * D.weekGrowth) : swarmSize,
    newSwarmSizeNow: later ? newSwarmSize : 0,
  };
}
