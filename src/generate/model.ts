/**
 * The shared state of one generated world: the window clock, identifier pools several groups draw from
 * (common TLS fingerprints, mobile NATs, VPN exits, the big swarm's residential exits), the household
 * layout of the organic population, and the tallies the truth file reports. Everything here is a pure
 * function of (options, seed), so week 2 rebuilds exactly the same pools for continuing accounts.
 */
import {
  COUNTRIES, VPN_PROVIDERS, blockAddress, blockAddress6, token, TOKEN, type Carrier,
} from './catalog';
import { AccountEmitter, WindowClock, emptyTally, type GroupTally } from './emitter';
import type { ResolvedOptions } from './options';
import { Rng, cumulativeOf, hash32, mix32, pickWeighted } from './random';
import type { WorldFiles } from './sink';

/** Purposes hashed with the seed so independent draws never share a stream. */
export const STREAM = {
  account: 1, household: 2, layout: 3, team: 4, swarm: 5, exit: 6, pool: 7,
} as const;

/** Address regions inside a carrier's block (see blockAddress): households low, swarm exits above. */
export const REGION = { household: 0, swarmExits: 2 ** 21, exitsPerSwarm: 2 ** 17 } as const;
/** IPv6 regions (see blockAddress6). */
export const REGION6 = { household: 1, ownLine: 2 } as const;

export interface HouseholdProfile {
  country: string;
  carrier: Carrier;
  address: string;
  /** Members 0…familyCardMembers-1 pay with the household's shared family card (0 = none). */
  familyCardMembers: number;
  /** Index of the big swarm's exit that is this household's home IP, or -1. */
  bystanderExit: number;
  isProxyFlagged: boolean;
}

export interface ResidentialExit {
  address: string;
  asn: string;
  isProxy: boolean;
  /** The household whose home line is this exit, or -1. */
  household: number;
}

export interface TallyEntry {
  name: string;
  kind: string;
  legitimate: boolean;
  tactic: string;
  tally: GroupTally;
  /** Group-specific facts for the truth file (cards, exits, teams…). */
  facts: Record<string, unknown>;
}

export interface SharedIdentifierTally {
  kind: 'ip' | 'fingerprint' | 'instrument';
  id: string;
  role: string;
  accounts: number;
}

const HOUSEHOLD_SIZE_WEIGHTS = cumulativeOf([45, 25, 15, 10, 5]);
const COUNTRY_WEIGHTS = cumulativeOf(COUNTRIES.map((country) => country.weight));
/** Common browser TLS fingerprints follow a Zipf-like law: the top one is a third of all traffic. */
const TLS_EXPONENT = 1.1;

export class WorldModel {
  readonly clock: WindowClock;
  readonly out: AccountEmitter;
  /** Seed-derived key for identifier tokens. */
  readonly tokenKey: number;
  readonly tallies = new Map<string, TallyEntry>();
  readonly shared = new Map<string, SharedIdentifierTally>();
  private readonly countedForAccount = new Set<string>();

  readonly tlsWeights: Float64Array;
  private readonly tlsTokens: string[];
  readonly mobileNats: Array<{ address: string; asn: string; country: string }>;
  private readonly natsByCountry = new Map<string, number[]>();
  readonly vpnExits: Array<{ address: string; asn: string }>;

  /** householdStart[h] = first organic rank of household h; households [baseHouseholds, …) are week-2 sign-ups. */
  householdStart: Int32Array = new Int32Array(1);
  householdOfRank: Int32Array = new Int32Array(0);
  baseHouseholds = 0;
  /** Bystander households are h = k × bystanderStride for k < bystanderHouseholds. */
  bystanderStride = 1;

  constructor(readonly options: ResolvedOptions, files: WorldFiles) {
    this.clock = new WindowClock(options.startDay, options.days);
    this.out = new AccountEmitter(files, this.clock);
    this.tokenKey = hash32(options.seed, 0x70c3);
    this.tlsTokens = Array.from({ length: options.tlsFingerprints }, (_, k) => token(this.tokenKey, TOKEN.tlsCommon, k, true));
    this.tlsWeights = cumulativeOf(Array.from({ length: options.tlsFingerprints }, (_, k) => 1 / (k + 1) ** TLS_EXPONENT));

    this.mobileNats = [];
    for (let k = 0; k < options.mobileNatIps; k++) {
      // NAT k serves the country at quantile (k + ½)/n of the population, so big countries get more NATs.
      const target = ((k + 0.5) / options.mobileNatIps) * COUNTRY_WEIGHTS[COUNTRY_WEIGHTS.length - 1];
      let countryIndex = 0;
      while (COUNTRY_WEIGHTS[countryIndex] <= target) countryIndex++;
      const country = COUNTRIES[countryIndex];
      this.mobileNats.push({ address: blockAddress(country.mobile.block, k), asn: country.mobile.asn, country: country.code });
      const list = this.natsByCountry.get(country.code) ?? [];
      list.push(k);
      this.natsByCountry.set(country.code, list);
    }
    this.vpnExits = Array.from({ length: options.vpnExits }, (_, k) => {
      const provider = VPN_PROVIDERS[k % VPN_PROVIDERS.length];
      return { address: blockAddress(provider.block, k), asn: provider.asn };
    });
  }

  accountRng(slot: number): Rng {
    return new Rng(hash32(this.options.seed, STREAM.account, slot));
  }

  accountId(slot: number): string {
    return `acct_${mix32(slot ^ this.tokenKey).toString(16).padStart(8, '0')}`;
  }

  /** The truth entry of a planted group, created once when the group is set up. */
  tallyFor(name: string, kind: string, legitimate: boolean, tactic: string, facts: Record<string, unknown> = {}): TallyEntry {
    let entry = this.tallies.get(name);
    if (!entry) {
      entry = { name, kind, legitimate, tactic, tally: emptyTally(), facts };
      this.tallies.set(name, entry);
    }
    return entry;
  }

  /** Call before each account's rows: an account that draws the same identifier twice counts once. */
  startAccount(): void {
    this.countedForAccount.clear();
  }

  /** Count one more account on an identifier worth listing in the truth (hubs, shared exits, shared cards). */
  countShared(kind: SharedIdentifierTally['kind'], id: string, role: string): void {
    const key = `${kind}\u0000${id}`;
    if (this.countedForAccount.has(key)) return;
    this.countedForAccount.add(key);
    const entry = this.shared.get(key);
    if (entry) entry.accounts++;
    else this.shared.set(key, { kind, id, role, accounts: 1 });
  }

  // ── common TLS fingerprints ────────────────────────────────────────────────
  pickTls(rng: Rng): string {
    return this.tls(pickWeighted(rng, this.tlsWeights));
  }

  tls(index: number): string {
    return this.tlsTokens[index];
  }

  // ── mobile carrier NAT ─────────────────────────────────────────────────────
  pickMobileNat(rng: Rng, country: string): { address: string; asn: string } {
    const local = this.natsByCountry.get(country);
    const index = local ? local[Math.floor(rng.next() * local.length)] : Math.floor(rng.next() * this.mobileNats.length);
    return this.mobileNats[index];
  }

  pickCountry(rng: Rng): number {
    return pickWeighted(rng, COUNTRY_WEIGHTS);
  }

  // ── households ─────────────────────────────────────────────────────────────
  /** Lay out organic ranks into households of 1–5 (week-2 sign-ups are single households after them). */
  layoutHouseholds(baseOrganic: number, signups: number): void {
    const rng = new Rng(hash32(this.options.seed, STREAM.layout));
    const starts: number[] = [0];
    let rank = 0;
    while (rank < baseOrganic) {
      rank = Math.min(baseOrganic, rank + 1 + pickWeighted(rng, HOUSEHOLD_SIZE_WEIGHTS));
      starts.push(rank);
    }
    this.baseHouseholds = starts.length - 1;
    for (let i = 1; i <= signups; i++) starts.push(baseOrganic + i);
    if (starts.length - 1 >= REGION.swarmExits) throw new Error(`too many households (${starts.length - 1}) for the address plan`);
    this.householdStart = Int32Array.from(starts);
    this.householdOfRank = new Int32Array(baseOrganic + signups);
    for (let h = 0; h < starts.length - 1; h++) this.householdOfRank.fill(h, starts[h], starts[h + 1]);
    const bystanders = this.options.bystanderHouseholds;
    this.bystanderStride = bystanders > 0 ? Math.max(1, Math.floor(this.baseHouseholds / bystanders)) : 1;
    if (bystanders > this.baseHouseholds) throw new Error(`bystander households (${bystanders}) exceed households (${this.baseHouseholds})`);
  }

  householdSize(h: number): number {
    return this.householdStart[h + 1] - this.householdStart[h];
  }

  household(h: number): HouseholdProfile {
    const rng = new Rng(hash32(this.options.seed, STREAM.household, h));
    const country = COUNTRIES[this.pickCountry(rng)];
    const carrier = rng.pick(country.home);
    const ipv6 = rng.chance(0.15);
    const size = this.householdSize(h);
    const familyCardMembers = size >= 2 && rng.chance(0.2) ? Math.min(size, rng.int(2, 3)) : 0;
    const isBystander = h < this.baseHouseholds && h % this.bystanderStride === 0 && h / this.bystanderStride < this.options.bystanderHouseholds;
    const bystanderExit = isBystander ? h / this.bystanderStride : -1;
    const address = ipv6 && !isBystander ? blockAddress6(carrier.block, REGION6.household, h) : blockAddress(carrier.block, REGION.household + h);
    return {
      country: country.code, carrier, address, familyCardMembers, bystanderExit,
      isProxyFlagged: isBystander ? this.exitFlagged(bystanderExit) : false,
    };
  }

  // ── the big swarm's residential proxy exits ────────────────────────────────
  exitFlagged(exit: number): boolean {
    return mix32(hash32(this.options.seed, STREAM.exit, exit)) / 4294967296 < this.options.swarmExitProxyShare;
  }

  /**
   * Exit `exit` of swarm `swarm`'s residential proxy pool. For the big swarm (0) the first
   * bystanderHouseholds exits are real households' home lines (residential proxy networks run on
   * consumer devices), so those households share an IP with the swarm and nothing else.
   */
  residentialExit(swarm: number, exit: number): ResidentialExit {
    if (swarm === 0 && exit < this.options.bystanderHouseholds) {
      const h = exit * this.bystanderStride;
      const home = this.household(h);
      return { address: home.address, asn: home.carrier.asn, isProxy: home.isProxyFlagged, household: h };
    }
    // Proxy providers sell mostly exits in rich, high-trust countries.
    const rng = new Rng(hash32(this.options.seed, STREAM.exit, swarm, exit));
    const country = COUNTRIES[rng.chance(0.6) ? 0 : rng.int(0, 7)];
    const carrier = rng.pick(country.home);
    const index = REGION.swarmExits + swarm * REGION.exitsPerSwarm + exit;
    const isProxy = swarm === 0 ? this.exitFlagged(exit) : rng.chance(this.options.swarmExitProxyShare);
    return { address: blockAddress(carrier.block, index), asn: carrier.asn, isProxy, household: -1 };
  }
}
