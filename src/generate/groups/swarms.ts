/**
 * The planted swarms: one operator's accounts, each ordinary alone, tied together by what they share.
 *
 * 0. swarm_residential_proxy — the big distillation campaign (default 25,000 accounts, 25.6 exchanges per
 *    account-day ⇒ 28.8M exchanges in 45 days): created in bursts before the window, throwaway email, prepaid
 *    and virtual cards each reused by a handful of accounts (a minority with a card of their own as
 *    camouflage), rotating residential proxy exits (some are real households' home lines — bystanders), a
 *    small pool of automation fingerprints, synchronised daily volume dominated by software engineering and
 *    agentic reasoning. Grows by 20% in week 2 (new accounts mostly on new cards and exits, some reused).
 * 1. swarm_datacenter — one card per account; tied by cloud-hosting IPs and one automation TLS fingerprint.
 * 2. swarm_payment_ring — ~150 accounts paying with the same three instruments; own residential lines.
 * 3. swarm_virtual_card_farm (week 2 only) — virtual cards shared by three, a new proxy provider's exits.
 */
import { COUNTRIES, HOSTING, THROWAWAY_EMAIL_DOMAINS, TOKEN, blockAddress, blockAddress6, token, type Capability } from '../catalog';
import { emitExchanges, type BehaviourPlan } from '../behaviour';
import { OperatorHabits, type OperatorSetup } from '../habits';
import { REGION6, STREAM, type WorldModel } from '../model';
import { Rng, cumulativeOf, hash32, mix32, pickWeighted } from '../random';
import {
  DAY_MS, MOBILE_NAT_ROLE, linkCommonTls, linkFingerprint, linkInstrument, linkIp, linkOwnCard, type GroupGenerator,
} from './group';

const SWARM_COUNTRY_WEIGHTS = cumulativeOf([50, 10, 10, 10, 5, 5, 5, 5]);
const SWARM_COUNTRIES = ['US', 'GB', 'CA', 'DE', 'FR', 'AU', 'NL', 'SG'];
const FINGERPRINT_KINDS = ['proxy', 'tls', 'browser'] as const;

export function swarmStatus(rng: Rng): string {
  return rng.chance(0.96) ? 'active' : rng.chance(0.75) ? 'suspended' : 'terminated';
}

/** The operator's schedule: one volume multiplier per day shared by every member, mean exactly 1 over week 1. */
export function operatorSchedule(seed: number, swarm: number, days: number, baseDays: number): Float64Array {
  const rng = new Rng(hash32(seed, STREAM.swarm, swarm, 0x5c));
  const multiplier = Float64Array.from({ length: days }, () => 0.7 + rng.next() * 0.6);
  let sum = 0;
  for (let d = 0; d < baseDays; d++) sum += multiplier[d];
  const scale = baseDays / sum;
  for (let d = 0; d < days; d++) multiplier[d] *= scale;
  return multiplier;
}

/** Uniform draw from [0, n) that depends only on (seed, swarm, purpose, rank): stable across weeks. */
export function stableIndex(seed: number, swarm: number, purpose: number, rank: number, n: number): number {
  return mix32(hash32(seed, STREAM.pool, swarm, purpose, rank)) % n;
}

/** Rows shared by every swarm: the account row with its email and country. */
export function writeSwarmAccount(model: WorldModel, rng: Rng, createdMs: number, throwawayShare: number): void {
  const email = rng.chance(throwawayShare) ? rng.pick(THROWAWAY_EMAIL_DOMAINS) : rng.chance(0.7) ? 'gmail.com' : 'outlook.com';
  model.out.account(createdMs, email, SWARM_COUNTRIES[pickWeighted(rng, SWARM_COUNTRY_WEIGHTS)], swarmStatus(rng));
}

/** Automation fingerprint k of a token namespace: proxy, TLS and browser kinds in turn. */
export function automationFingerprint(model: WorldModel, namespace: number, k: number): { id: string; kind: string } {
  return { id: token(model.tokenKey, namespace, k, true), kind: FINGERPRINT_KINDS[k % FINGERPRINT_KINDS.length] };
}

/** The harvesting mix: software engineering and agentic reasoning, 30% also math or data analysis. */
export function harvestingMix(rng: Rng): { capabilities: Capability[]; shares: number[] } {
  const extra: Capability | null = rng.chance(0.3) ? (rng.chance(0.5) ? 'math' : 'data_analysis') : null;
  return extra
    ? { capabilities: ['software_engineering', 'agentic_reasoning', extra], shares: [0.56, 0.34, 0.1] }
    : { capabilities: ['software_engineering', 'agentic_reasoning'], shares: [0.62, 0.38] };
}

/**
 * Behaviour worlds: the swarm's operator habits (templates, client, work pattern, dispatcher), with its
 * behaviour facts added to the truth entry; null otherwise.
 */
export function operatorHabits(model: WorldModel, setup: OperatorSetup, facts: Record<string, unknown>): OperatorHabits | null {
  if (!model.habits) return null;
  const habits = new OperatorHabits(model, setup);
  facts.behaviour = habits.facts();
  return habits;
}

/**
 * A harvesting account's exchanges: active every day from firstDay to lastDay, `dailyExchanges` × a
 * per-account factor U(0.5, 1.5) × the operator's schedule, around the clock, long answers; in a behaviour
 * world on the operator's dispatcher (plan).
 */
export function harvestingActivity(
  model: WorldModel, rng: Rng, firstDay: number, lastDay: number, mix: { capabilities: Capability[]; shares: number[] },
  dailyExchanges: number, schedule: Float64Array, plan: BehaviourPlan | null,
): void {
  emitExchanges(model, rng, {
    firstDay,
    lastDay,
    dayProbability: 1,
    dailyMean: dailyExchanges * (0.5 + rng.next()),
    capabilities: mix.capabilities,
    shares: mix.shares,
    hours: 'uniform',
    outputScale: 1.6,
    dayMultiplier: schedule,
    atLeastOne: false,
  }, plan);
}

/** An isolated big-swarm member's links: its own card, its own home-ISP line, a common browser TLS. */
function writeIsolatedLinks(model: WorldModel, rng: Rng, swarm: number, rank: number, slot: number, fromMs: number, toMs: number): void {
  linkOwnCard(model, rng, token(model.tokenKey, TOKEN.swarmOwnCard + swarm, rank), fromMs, toMs, 0.6);
  const carrier = rng.pick(COUNTRIES[0].home);
  linkIp(model, rng, { address: blockAddress6(carrier.block, REGION6.ownLine, slot), asn: carrier.asn, isProxy: false }, fromMs, toMs, 1500, 0.3, null);
  linkCommonTls(model, rng, fromMs, toMs);
}

export function residentialProxySwarm(model: WorldModel): GroupGenerator {
  const { options, clock } = model;
  const swarm = 0;
  const name = 'swarm_residential_proxy';
  const baseSize = options.swarmSize;
  const baseCards = options.swarmCards;
  const growthCards = Math.max(1, Math.round(baseCards * 0.2));
  const baseExits = options.swarmExits;
  const growthExits = Math.max(1, Math.round(baseExits * 0.2));
  const schedule = operatorSchedule(options.seed, swarm, clock.days, options.baseDays);
  // Eight sign-up bursts in the 60 days before the campaign; week-2 growth in three bursts during week 2.
  const bursts = Array.from({ length: 8 }, (_, b) => clock.startMs - (60 - b * 7) * DAY_MS + (mix32(hash32(options.seed, swarm, b)) % 20) * 3_600_000);
  const growthBursts = Array.from({ length: 3 }, (_, b) => clock.startMs + (options.baseDays + b * 2) * DAY_MS + 10 * 3_600_000);
  const tactic = 'residential proxy exits, prepaid/virtual cards reused by a handful of accounts, automation fingerprints, burst sign-ups, synchronised coding/agentic volume';
  const facts = {
    cards: baseCards, exits: baseExits, fingerprints: options.swarmFingerprints, bystander_households: options.bystanderHouseholds,
    daily_exchanges_per_account: options.swarmDailyExchanges, unique_card_share: options.swarmUniqueCardShare, isolated_share: options.swarmIsolatedShare,
  };

  /** Card `which` (0 = main, 1 = rotated second card) of member `rank`. */
  const cardOf = (rank: number, which: number): number => {
    const purpose = 1 + which * 10;
    if (rank < baseSize) return stableIndex(options.seed, swarm, purpose, rank, baseCards);
    // Growth accounts: mostly new cards, some reusing week-1 cards.
    return stableIndex(options.seed, swarm, purpose + 1, rank, 10) < 3
      ? stableIndex(options.seed, swarm, purpose, rank, baseCards)
      : baseCards + stableIndex(options.seed, swarm, purpose + 2, rank, growthCards);
  };
  const exitOf = (rank: number, i: number): number => {
    const k = rank * 8 + i;
    if (rank < baseSize) return stableIndex(options.seed, swarm, 4, k, baseExits);
    return stableIndex(options.seed, swarm, 5, k, 10) < 3 ? stableIndex(options.seed, swarm, 4, k, baseExits) : baseExits + stableIndex(options.seed, swarm, 6, k, growthExits);
  };

  const entry = model.tallyFor(name, 'swarm', false, tactic, facts);
  const habits = operatorHabits(model, { key: swarm, name, pattern: 'shifts', client: 'harness', templates: 'private', dailyExchanges: options.swarmDailyExchanges }, entry.facts);
  return {
    name, kind: 'swarm', legitimate: false, tactic, baseSize, size: options.swarmSizeNow,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'swarm');
      const isGrowth = rank >= baseSize;
      const burst = isGrowth ? growthBursts[rank % growthBursts.length] : bursts[stableIndex(options.seed, swarm, 7, rank, bursts.length)];
      const createdMs = burst + rng.next() * 3 * 3_600_000;
      writeSwarmAccount(model, rng, createdMs, 0.8);
      const activeFrom = Math.max(createdMs, clock.startMs);
      const endMs = clock.endMs;

      // Isolated members share nothing but hubs: findable by behaviour only, never by the graph.
      // Chosen by a stable hash (no draw from rng), so with the default share of 0 nothing else changes.
      const isolated = stableIndex(options.seed, swarm, 12, rank, 1_000_000) < options.swarmIsolatedShare * 1_000_000;
      if (isolated) {
        writeIsolatedLinks(model, rng, swarm, rank, slot, activeFrom, endMs);
      } else if (rng.chance(options.swarmUniqueCardShare)) {
        linkOwnCard(model, rng, token(model.tokenKey, TOKEN.swarmOwnCard + swarm, rank), createdMs, endMs, 0.6);
      } else {
        const cards = rng.chance(0.1) ? [cardOf(rank, 0), cardOf(rank, 1)] : [cardOf(rank, 0)];
        for (const card of cards) {
          const id = token(model.tokenKey, TOKEN.swarmSharedCard + swarm, card);
          linkInstrument(model, rng, id, mix32(card ^ 0x51) % 10 < 6 ? 'prepaid_card' : 'virtual_card', createdMs, endMs, `shared card of ${name}`);
        }
      }

      if (!isolated) {
        // Rotating exits: 2–6 over the campaign, each carrying a share of the account's requests.
        const exitCount = rng.int(2, 6);
        const requestsPerExit = (options.swarmDailyExchanges * options.baseDays * 1.3) / exitCount;
        for (let i = 0; i < exitCount; i++) {
          const exit = model.residentialExit(swarm, exitOf(rank, i));
          linkIp(model, rng, exit, activeFrom, endMs, requestsPerExit, 0.3, exit.household >= 0 ? model.exitHomeLineRole(name) : `residential exit of ${name}`);
        }

        const fingerprintCount = rng.chance(0.3) ? 2 : 1;
        for (let i = 0; i < fingerprintCount; i++) {
          const fingerprint = automationFingerprint(model, TOKEN.swarmFingerprint + swarm, stableIndex(options.seed, swarm, 8, rank * 2 + i, options.swarmFingerprints));
          linkFingerprint(model, rng, fingerprint.id, fingerprint.kind, activeFrom, endMs, `automation fingerprint of ${name}`);
        }
        // Half the tooling spoofs a common browser's TLS handshake.
        if (rng.chance(0.5)) linkCommonTls(model, rng, activeFrom, endMs);
      }

      const mix = harvestingMix(rng);
      harvestingActivity(model, rng, Math.ceil((activeFrom - clock.startMs) / DAY_MS), clock.days - 1, mix, options.swarmDailyExchanges, schedule, habits?.plan(rank, 0, activeFrom) ?? null);
    },
  };
}

export function datacenterSwarm(model: WorldModel): GroupGenerator {
  const { options, clock } = model;
  const swarm = 1;
  const name = 'swarm_datacenter';
  const size = options.datacenterSwarmSize;
  const schedule = operatorSchedule(options.seed, swarm, clock.days, options.baseDays);
  const hostingIps = Math.max(2, Math.round(size / 8));
  const providers = [HOSTING[0], HOSTING[2], HOSTING[3]];
  // A fifth of hosting IPs are on proxy/VPN intelligence lists; the flag belongs to the IP, not the row.
  const ipOf = (k: number) => ({
    address: blockAddress(providers[k % providers.length].block, 1000 + k),
    asn: providers[k % providers.length].asn,
    isProxy: mix32(hash32(options.seed, STREAM.exit, swarm, k)) % 5 === 0,
  });
  const namespace = TOKEN.swarmFingerprint + swarm;
  const client = automationFingerprint(model, namespace, 1);
  const headless = [automationFingerprint(model, namespace, 2), automationFingerprint(model, namespace, 5), automationFingerprint(model, namespace, 8)];
  const bursts = [clock.startMs - 20 * DAY_MS + 2 * 3_600_000, clock.startMs - 6 * DAY_MS + 14 * 3_600_000];
  const tactic = 'cloud-hosting IPs and one automation TLS fingerprint; one card per account';
  const entry = model.tallyFor(name, 'swarm', false, tactic, { hosting_ips: hostingIps, automation_fingerprint: client.id });
  const habits = operatorHabits(model, { key: swarm, name, pattern: 'fixed-rate', client: 'harness', templates: 'private', dailyExchanges: 40 }, entry.facts);
  return {
    name, kind: 'swarm', legitimate: false, tactic, baseSize: size, size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'swarm');
      const createdMs = bursts[rank % 2] + rng.next() * 2 * 3_600_000;
      const email = rng.chance(0.6) ? 'devtools-hub.io' : 'gmail.com';
      out.account(createdMs, email, rng.chance(0.7) ? 'US' : 'SG', swarmStatus(rng));
      const endMs = clock.endMs;
      linkOwnCard(model, rng, token(model.tokenKey, TOKEN.swarmOwnCard + swarm, rank), createdMs, endMs, 0.5);
      const ipCount = rng.int(2, 4);
      for (let i = 0; i < ipCount; i++) {
        const ip = ipOf(stableIndex(options.seed, swarm, 1, rank * 8 + i, hostingIps));
        linkIp(model, rng, ip, clock.startMs, endMs, 700, 0.5, `hosting IP of ${name}`);
      }
      linkFingerprint(model, rng, client.id, 'tls', clock.startMs, endMs, `automation fingerprint of ${name}`);
      if (rng.chance(0.5)) {
        const browser = rng.pick(headless);
        linkFingerprint(model, rng, browser.id, 'browser', clock.startMs, endMs, `automation fingerprint of ${name}`);
      }
      const plan = habits?.plan(rank, 0, clock.startMs) ?? null;
      emitExchanges(model, rng, {
        firstDay: 0,
        lastDay: clock.days - 1,
        dayProbability: 0.98,
        dailyMean: 40 * (0.6 + rng.next() * 0.8),
        capabilities: ['agentic_reasoning', 'math', 'software_engineering'],
        shares: [0.5, 0.3, 0.2],
        hours: 'uniform',
        outputScale: 1.5,
        dayMultiplier: schedule,
        atLeastOne: false,
      }, plan);
    },
  };
}

export function paymentRingSwarm(model: WorldModel): GroupGenerator {
  const { options, clock } = model;
  const swarm = 2;
  const name = 'swarm_payment_ring';
  const size = options.paymentRingSize;
  const schedule = operatorSchedule(options.seed, swarm, clock.days, options.baseDays);
  const instruments = [
    { id: token(model.tokenKey, TOKEN.swarmSharedCard + swarm, 0), kind: 'prepaid_card' },
    { id: token(model.tokenKey, TOKEN.swarmSharedCard + swarm, 1), kind: 'virtual_card' },
    { id: token(model.tokenKey, TOKEN.swarmSharedCard + swarm, 2), kind: 'wallet' },
  ];
  const tactic = 'three shared payment instruments; own residential lines and devices, sign-ups spread over weeks';
  const entry = model.tallyFor(name, 'swarm', false, tactic, { instruments: instruments.map((i) => i.id) });
  const habits = operatorHabits(model, { key: swarm, name, pattern: 'relay', client: 'sdk', templates: 'private', dailyExchanges: 27 }, entry.facts);
  return {
    name, kind: 'swarm', legitimate: false, tactic, baseSize: size, size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'swarm');
      const createdMs = clock.startMs - rng.next() * 30 * DAY_MS;
      writeSwarmAccount(model, rng, createdMs, 0.1);
      const endMs = clock.endMs;
      const first = rank % 3;
      const used = rng.chance(0.35) ? [first, (first + 1) % 3] : [first];
      for (const k of used) linkInstrument(model, rng, instruments[k].id, instruments[k].kind, createdMs, endMs, `shared instrument of ${name}`);
      const country = COUNTRIES[rng.int(0, 3)];
      const carrier = rng.pick(country.home);
      linkIp(model, rng, { address: blockAddress6(carrier.block, REGION6.ownLine, slot), asn: carrier.asn, isProxy: false }, createdMs, endMs, 500, 0.5, null);
      if (rng.chance(0.4)) linkIp(model, rng, model.pickMobileNat(rng, country.code), createdMs, endMs, 100, 0.5, MOBILE_NAT_ROLE);
      linkCommonTls(model, rng, createdMs, endMs);
      linkFingerprint(model, rng, token(model.tokenKey, TOKEN.swarmFingerprint + swarm, 16 + rank, true), 'device', createdMs, endMs, null);
      const plan = habits?.plan(rank, 0, createdMs) ?? null;
      emitExchanges(model, rng, {
        firstDay: 0,
        lastDay: clock.days - 1,
        dayProbability: 0.9,
        dailyMean: 30 * (0.6 + rng.next() * 0.8),
        capabilities: ['software_engineering', 'agentic_reasoning'],
        shares: [0.55, 0.45],
        hours: 'uniform',
        outputScale: 1.6,
        dayMultiplier: schedule,
        atLeastOne: false,
      }, plan);
    },
  };
}

export function virtualCardFarmSwarm(model: WorldModel): GroupGenerator {
  const { options, clock } = model;
  const swarm = 3;
  const name = 'swarm_virtual_card_farm';
  const size = options.newSwarmSizeNow;
  const schedule = operatorSchedule(options.seed, swarm, clock.days, options.baseDays);
  const exits = Math.max(2, Math.round(size * 0.2));
  const fingerprints = 6;
  const bursts = [0, 1, 2].map((b) => clock.startMs + (options.baseDays + b) * DAY_MS + 3 * 3_600_000);
  const tactic = 'week-2 newcomer: virtual cards shared by three, a new proxy provider\'s exits, agentic-heavy volume';
  const entry = model.tallyFor(name, 'swarm', false, tactic, { cards: Math.ceil(size / 3), exits, fingerprints });
  const habits = operatorHabits(model, { key: swarm, name, pattern: 'shifts', client: 'harness', templates: 'private', dailyExchanges: 40 }, entry.facts);
  return {
    name, kind: 'swarm', legitimate: false, tactic, baseSize: 0, size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'swarm');
      const createdMs = bursts[rank % 3] + rng.next() * 4 * 3_600_000;
      writeSwarmAccount(model, rng, createdMs, 0.9);
      const endMs = clock.endMs;
      const card = token(model.tokenKey, TOKEN.swarmSharedCard + swarm, Math.floor(rank / 3));
      linkInstrument(model, rng, card, 'virtual_card', createdMs, endMs, `shared card of ${name}`);
      const exitCount = rng.int(2, 4);
      for (let i = 0; i < exitCount; i++) {
        const exit = model.residentialExit(swarm, stableIndex(options.seed, swarm, 4, rank * 8 + i, exits));
        linkIp(model, rng, exit, createdMs, endMs, 300, 0.4, `residential exit of ${name}`);
      }
      const fingerprint = automationFingerprint(model, TOKEN.swarmFingerprint + swarm, stableIndex(options.seed, swarm, 8, rank, fingerprints));
      linkFingerprint(model, rng, fingerprint.id, fingerprint.kind, createdMs, endMs, `automation fingerprint of ${name}`);
      const plan = habits?.plan(rank, 0, createdMs) ?? null;
      emitExchanges(model, rng, {
        firstDay: Math.ceil((createdMs - clock.startMs) / DAY_MS),
        lastDay: clock.days - 1,
        dayProbability: 1,
        dailyMean: 40 * (0.6 + rng.next() * 0.8),
        capabilities: ['agentic_reasoning', 'software_engineering'],
        shares: [0.6, 0.4],
        hours: 'uniform',
        outputScale: 1.7,
        dayMultiplier: schedule,
        atLeastOne: false,
      }, plan);
    },
  };
}
