/**
 * The shared state of one generated world: the window clock, identifier pools several groups draw from
 * (common TLS fingerprints, mobile NATs, VPN exits, the big swarm's residential exits), the household
 * layout of the organic population, and the tallies the truth file reports. Everything here is a pure
 * function of (options, seed), so week 2 rebuilds exactly the same pools for continuing accounts.
 */
import {
  COUNTRIES, HOSTING, PUBLIC_SDKS, VPN_PROVIDERS, blockAddress, blockAddress6, token, TOKEN, type Carrier,
} from './catalog';
import { AccountEmitter, WindowClock, emptyTally, type GroupTally } from './emitter';
import type { ResolvedOptions } from './options';
import { IndexPermutation, Rng, cumulativeOf, hash32, mix32, pickWeighted } from './random';
import type { WorldFiles } from './sink';
import type { IpEndpoint } from './groups/group';
import { RowWriter } from './behaviour';
import type { PopulationHabits } from './habits';

/** Purposes hashed with the seed so independent draws never share a stream. */
export const STREAM = {
  account: 1, household: 2, layout: 3, team: 4, swarm: 5, exit: 6, pool: 7, tactics: 8, reseller: 9, roles: 10, tacticExit: 11,
  habits: 12, hygiene: 13,
} as const;

/**
 * Address regions inside a carrier's block (see blockAddress): households low, the classic swarms' exits
 * above (swarms 0–3), tactic swarms' exit pools after them (up to 32 pools of 2^15 exits).
 */
export const REGION = {
  household: 0, swarmExits: 2 ** 21, exitsPerSwarm: 2 ** 17, tacticExits: 2 ** 21 + 4 * 2 ** 17, exitsPerTacticPool: 2 ** 15,
  /** Tactic swarms' hosting addresses, inside HOSTING[1] and HOSTING[4] (the datacenter swarm uses the others). */
  tacticHosting: 2 ** 20,
  /** perfect-hygiene swarms' own home lines: the top 2^19 addresses of consumer blocks, after the tactic pools. */
  hygieneLines: 2 ** 21 + 4 * 2 ** 17 + 32 * 2 ** 15,
} as const;
/** perfect-hygiene lines: where they are (see hygieneLine); 60% US like the proxy pools, the rest in seven big countries. */
const HYGIENE_RING: Array<{ country: string; carrier: Carrier; occurrence: number }> = (() => {
  const ring: Array<{ country: string; carrier: Carrier }> = [];
  for (let p = 0; p < 100; p++) {
    const country = p < 60 ? COUNTRIES[0] : COUNTRIES[1 + ((p - 60) % 7)];
    const which = p < 60 ? p % country.home.length : Math.floor((p - 60) / 7) % country.home.length;
    ring.push({ country: country.code, carrier: country.home[which] });
  }
  return ring.map((entry, p) => ({ ...entry, occurrence: ring.slice(0, p).filter((other) => other.carrier === entry.carrier).length }));
})();
const HYGIENE_REPEATS = new Map<Carrier, number>();
for (const entry of HYGIENE_RING) HYGIENE_REPEATS.set(entry.carrier, (HYGIENE_REPEATS.get(entry.carrier) ?? 0) + 1);
/** A tactic swarm's members get hygiene line numbers index × this + rank (a swarm has at most 100,000 members). */
const HYGIENE_PER_SWARM = 100_000;
/** The most tactic swarms one world can have (token namespaces and address regions are planned for this many). */
export const MAX_TACTIC_SWARMS = 32;
const TACTIC_HOSTING: Carrier[] = [HOSTING[1], HOSTING[4]];
/** IPv6 regions (see blockAddress6). */
export const REGION6 = { household: 1, ownLine: 2 } as const;

export interface HouseholdProfile {
  country: string;
  carrier: Carrier;
  address: string;
  /** Members 0…familyCardMembers-1 pay with the household's shared family card (0 = none). */
  familyCardMembers: number;
  /** When this household's home line is also a swarm's residential proxy exit: that exit's truth role (its members are bystanders). */
  proxyExitRole: string | null;
  isProxyFlagged: boolean;
}

/**
 * A tactic swarm's exit pool. Exit e of pool p has address number REGION.tacticExits + p × 2^15 + e in a
 * consumer ISP's block (residential) or a hosting provider's (hosting); exits e < hosts.length are instead
 * the home lines of households hosts[e] (a commercial residential pool runs on consumer devices).
 */
export interface ExitPool {
  swarm: string;
  network: 'residential' | 'hosting';
  size: number;
  proxyShare: number;
  /** Home lines asked for at set-up; assignHouseholdRoles gives up to that many. */
  hostsWanted: number;
  hosts: Int32Array;
  /** Ordinary users of the commercial pool (privacy, geo-unblocking) also connect through its exits. */
  usedByLegitUsers: boolean;
}

/** A reseller (agency) paying for its clients with one card. */
export interface Reseller { name: string; card: string; kind: 'card' | 'virtual_card'; clients: number }

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
  /** A tactic swarm's tactics (catalogue names). */
  tactics?: string[];
  tally: GroupTally;
  /** Group-specific facts for the truth file (cards, exits, teams…). */
  facts: Record<string, unknown>;
}

export interface SharedIdentifierTally {
  /** Templates and clients (behaviour worlds) come from exchanges.csv's template and client columns. */
  kind: 'ip' | 'fingerprint' | 'instrument' | 'template' | 'client';
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
  readonly mobileNats: Array<IpEndpoint & { country: string }>;
  private readonly natsByCountry = new Map<string, number[]>();
  readonly vpnExits: IpEndpoint[];

  /** householdStart[h] = first organic rank of household h; households [baseHouseholds, …) are week-2 sign-ups. */
  householdStart: Int32Array = new Int32Array(1);
  householdOfRank: Int32Array = new Int32Array(0);
  baseHouseholds = 0;
  /** Bystander households are h = k × bystanderStride for k < bystanderHouseholds. */
  bystanderStride = 1;
  /** Tactic swarms' exit pools, by tactic swarm index; the ones legitimate users also use. */
  readonly exitPools: ExitPool[] = [];
  readonly sharedExitPools: number[] = [];
  /** Per base household: pool × 2^15 + exit when its home line is a tactic pool's exit, else -1 (null: none anywhere). */
  private exitHostOfHousehold: Int32Array | null = null;
  /** Per base household (a person living alone): the index of the reseller paying for them, else -1 (null: no resellers). */
  private resellerOfHousehold: Int16Array | null = null;
  readonly resellers: Reseller[] = [];
  /** Household → accounts in its truth group, for households with a family card. */
  readonly familyAccounts = new Map<number, number>();
  /** Public SDKs' default fingerprints (tactic worlds' developer hub), with cumulative weights. */
  readonly sdkFingerprints: Array<{ id: string; kind: string }>;
  private readonly sdkWeights: Float64Array;
  /** Behaviour worlds: what people and operators share (clients, public templates, events, classes); set by generateWorld, null otherwise. */
  habits: PopulationHabits | null = null;
  /** Behaviour worlds: the pending minute row, reused for every account. */
  readonly rows: RowWriter;

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
      this.mobileNats.push({ address: blockAddress(country.mobile.block, k), asn: country.mobile.asn, isProxy: false, country: country.code });
      const list = this.natsByCountry.get(country.code) ?? [];
      list.push(k);
      this.natsByCountry.set(country.code, list);
    }
    this.vpnExits = Array.from({ length: options.vpnExits }, (_, k) => {
      const provider = VPN_PROVIDERS[k % VPN_PROVIDERS.length];
      return { address: blockAddress(provider.block, k), asn: provider.asn, isProxy: true };
    });
    this.sdkFingerprints = PUBLIC_SDKS.map(([, kind], k) => ({ id: token(this.tokenKey, TOKEN.sdkDefault, k, true), kind }));
    this.sdkWeights = cumulativeOf(PUBLIC_SDKS.map(([, , share]) => share));
    this.rows = new RowWriter(this.out);
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

  /** A public SDK's default fingerprint, the popular SDKs more often. */
  pickSdkFingerprint(rng: Rng): { id: string; kind: string } {
    return this.sdkFingerprints[pickWeighted(rng, this.sdkWeights)];
  }

  // ── mobile carrier NAT ─────────────────────────────────────────────────────
  pickMobileNat(rng: Rng, country: string): IpEndpoint {
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

  /** Is household h's home line one of the big swarm's exits (the classic bystanders)? */
  private isBigSwarmExitHost(h: number): boolean {
    return h < this.baseHouseholds && h % this.bystanderStride === 0 && h / this.bystanderStride < this.options.bystanderHouseholds;
  }

  household(h: number): HouseholdProfile {
    const rng = new Rng(hash32(this.options.seed, STREAM.household, h));
    const country = COUNTRIES[this.pickCountry(rng)];
    const carrier = rng.pick(country.home);
    const ipv6 = rng.chance(0.15);
    const size = this.householdSize(h);
    const familyCardMembers = size >= 2 && rng.chance(0.2) ? Math.min(size, rng.int(2, 3)) : 0;
    let proxyExitRole: string | null = null;
    let isProxyFlagged = false;
    if (this.isBigSwarmExitHost(h)) {
      proxyExitRole = this.exitHomeLineRole('swarm_residential_proxy');
      isProxyFlagged = this.exitFlagged(h / this.bystanderStride);
    } else if (this.exitHostOfHousehold && h < this.baseHouseholds && this.exitHostOfHousehold[h] >= 0) {
      const packed = this.exitHostOfHousehold[h];
      const pool = Math.floor(packed / REGION.exitsPerTacticPool);
      proxyExitRole = this.exitHomeLineRole(this.exitPools[pool].swarm);
      isProxyFlagged = this.tacticExitFlagged(pool, packed % REGION.exitsPerTacticPool);
    }
    // A proxy exit is an IPv4 address: the pools sell IPv4.
    const address = ipv6 && !proxyExitRole ? blockAddress6(carrier.block, REGION6.household, h) : blockAddress(carrier.block, REGION.household + h);
    return { country: country.code, carrier, address, familyCardMembers, proxyExitRole, isProxyFlagged };
  }

  /** The reseller paying for organic rank `rank` (a person living alone), or -1. */
  resellerOfRank(rank: number): number {
    if (!this.resellerOfHousehold || rank >= this.householdOfRank.length) return -1;
    const h = this.householdOfRank[rank];
    return h < this.baseHouseholds ? this.resellerOfHousehold[h] : -1;
  }

  /** An exit of a pool for one of its ordinary users: the commercial part of the pool (not a household's line) when there is one. */
  pickPoolExit(rng: Rng, pool: number): number {
    const entry = this.exitPools[pool];
    const first = entry.hosts.length < entry.size ? entry.hosts.length : 0;
    return first + Math.floor(rng.next() * (entry.size - first));
  }

  /** One more account in household h's truth group whose household has a family card (truth/dense_groups.csv). */
  countFamilyAccount(h: number): void {
    this.familyAccounts.set(h, (this.familyAccounts.get(h) ?? 0) + 1);
  }

  /** The truth role of a home line that is also a swarm's residential proxy exit. */
  exitHomeLineRole(swarm: string): string {
    return `residential exit of ${swarm} and a household home line`;
  }

  // ── tactic worlds: exit pools, resellers, and the households they take ─────
  /** Register tactic swarm `index`'s exit pool (before assignHouseholdRoles). */
  addExitPool(index: number, pool: Omit<ExitPool, 'hosts'>): ExitPool {
    if (index >= MAX_TACTIC_SWARMS || pool.size > REGION.exitsPerTacticPool) throw new Error(`exit pool ${index} of ${pool.size} exits exceeds the address plan`);
    const entry: ExitPool = { ...pool, hosts: new Int32Array(0) };
    this.exitPools[index] = entry;
    if (pool.usedByLegitUsers) this.sharedExitPools.push(index);
    return entry;
  }

  tacticExitFlagged(pool: number, exit: number): boolean {
    return mix32(hash32(this.options.seed, STREAM.tacticExit, pool, exit)) / 4294967296 < this.exitPools[pool].proxyShare;
  }

  tacticExitRole(pool: number, exit: number): string {
    const entry = this.exitPools[pool];
    if (exit < entry.hosts.length) return this.exitHomeLineRole(entry.swarm);
    return entry.network === 'hosting' ? `hosting IP of ${entry.swarm}` : `residential exit of ${entry.swarm}`;
  }

  tacticExit(pool: number, exit: number): ResidentialExit {
    const entry = this.exitPools[pool];
    if (exit < entry.hosts.length) {
      const h = entry.hosts[exit];
      const home = this.household(h);
      return { address: home.address, asn: home.carrier.asn, isProxy: home.isProxyFlagged, household: h };
    }
    const index = pool * REGION.exitsPerTacticPool + exit;
    const isProxy = this.tacticExitFlagged(pool, exit);
    if (entry.network === 'hosting') {
      const provider = TACTIC_HOSTING[exit % TACTIC_HOSTING.length];
      return { address: blockAddress(provider.block, REGION.tacticHosting + index), asn: provider.asn, isProxy, household: -1 };
    }
    const rng = new Rng(hash32(this.options.seed, STREAM.tacticExit, pool, exit, 1));
    const country = COUNTRIES[rng.chance(0.6) ? 0 : rng.int(0, 7)];
    const carrier = rng.pick(country.home);
    return { address: blockAddress(carrier.block, REGION.tacticExits + index), asn: carrier.asn, isProxy, household: -1 };
  }

  /**
   * Give the tactic world's households their second roles, from a seeded walk over base households: home
   * lines of the exit pools that asked for them (at most a fifth of households), then people living alone
   * as resellers' clients (at most half of them: the first reseller keeps its size when it fits, the others
   * shrink in proportion). The classic bystander households keep their role and are skipped.
   */
  assignHouseholdRoles(resellers: Array<Omit<Reseller, 'clients'> & { wanted: number }>): void {
    const households = this.baseHouseholds;
    const pools = this.exitPools.filter((pool) => pool && pool.hostsWanted > 0);
    if (pools.length === 0 && resellers.length === 0) return;
    let singles = 0;
    for (let h = 0; h < households; h++) if (this.householdSize(h) === 1 && !this.isBigSwarmExitHost(h)) singles++;
    const hostsWanted = pools.reduce((sum, pool) => sum + pool.hostsWanted, 0);
    const hostScale = Math.min(1, (households * 0.2) / Math.max(1, hostsWanted));
    const clientCapacity = Math.floor(singles * 0.5);
    const firstClients = resellers.length > 0 ? Math.min(resellers[0].wanted, clientCapacity) : 0;
    const othersWanted = resellers.slice(1).reduce((sum, reseller) => sum + reseller.wanted, 0);
    const othersScale = Math.min(1, (clientCapacity - firstClients) / Math.max(1, othersWanted));
    const hostCounts = pools.map((pool) => Math.floor(pool.hostsWanted * hostScale));
    const clientCounts = resellers.map((reseller, r) => (r === 0 ? firstClients : Math.max(1, Math.floor(reseller.wanted * othersScale))));
    const hostLists = hostCounts.map((count) => new Int32Array(count));

    this.exitHostOfHousehold = new Int32Array(households).fill(-1);
    if (resellers.length > 0) this.resellerOfHousehold = new Int16Array(households).fill(-1);
    const order = new IndexPermutation(households, hash32(this.options.seed, STREAM.roles));
    const hosted = new Int32Array(pools.length);
    const clients = new Int32Array(resellers.length);
    let pool = 0;
    let reseller = 0;
    const poolIndex = pools.map((entry) => this.exitPools.indexOf(entry));
    for (let j = 0; j < households; j++) {
      while (pool < pools.length && hosted[pool] === hostCounts[pool]) pool++;
      while (reseller < resellers.length && clients[reseller] === clientCounts[reseller]) reseller++;
      if (pool >= pools.length && reseller >= resellers.length) break;
      const h = order.at(j);
      if (this.isBigSwarmExitHost(h)) continue;
      if (pool < pools.length) {
        hostLists[pool][hosted[pool]] = h;
        this.exitHostOfHousehold[h] = poolIndex[pool] * REGION.exitsPerTacticPool + hosted[pool];
        hosted[pool]++;
      } else if (this.householdSize(h) === 1) {
        this.resellerOfHousehold![h] = reseller;
        clients[reseller]++;
      }
    }
    pools.forEach((entry, k) => { entry.hosts = hostLists[k].subarray(0, hosted[k]); });
    resellers.forEach(({ wanted: _wanted, ...rest }, k) => this.resellers.push({ ...rest, clients: clients[k] }));
  }

  /**
   * Behaviour worlds: members for the classes, one person per household, from a seeded walk over base
   * households of the class's country that have no other role (exit host, resellers' client, bystander).
   * Classes fill in order; a small world may leave some short.
   */
  assignClassMembers(classes: Array<{ country: string; size: number }>, walkSeed: number): { classOfRank: Int16Array; sizes: number[] } {
    const classOfRank = new Int16Array(this.householdOfRank.length).fill(-1);
    const sizes = classes.map(() => 0);
    let open = classes.length;
    const order = new IndexPermutation(this.baseHouseholds, walkSeed);
    for (let j = 0; j < this.baseHouseholds && open > 0; j++) {
      const h = order.at(j);
      if (this.isBigSwarmExitHost(h) || (this.exitHostOfHousehold && this.exitHostOfHousehold[h] >= 0) || (this.resellerOfHousehold && this.resellerOfHousehold[h] >= 0)) continue;
      const country = this.household(h).country;
      const k = classes.findIndex((plan, index) => plan.country === country && sizes[index] < plan.size);
      if (k < 0) continue;
      classOfRank[this.householdStart[h]] = k;
      if (++sizes[k] === classes[k].size) open--;
    }
    return { classOfRank, sizes };
  }

  /**
   * perfect-hygiene: member `rank` of tactic swarm `index` gets a home-ISP IPv4 line no one else has (a sticky
   * residential exit bought for it alone). Lines are numbered g = index × 100,000 + rank; g mod 100 picks a
   * carrier from HYGIENE_RING and the address number inside its block counts that carrier's earlier lines, so
   * distinct members never share an address.
   */
  hygieneLine(index: number, rank: number): IpEndpoint & { country: string } {
    const g = index * HYGIENE_PER_SWARM + rank;
    const entry = HYGIENE_RING[g % 100];
    const number = REGION.hygieneLines + Math.floor(g / 100) * HYGIENE_REPEATS.get(entry.carrier)! + entry.occurrence;
    const isProxy = mix32(hash32(this.options.seed, STREAM.hygiene, g)) % 100 < 15;
    return { address: blockAddress(entry.carrier.block, number), asn: entry.carrier.asn, isProxy, country: entry.country };
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
