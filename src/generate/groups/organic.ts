/**
 * The organic population: households of 1–5 sharing a home line, mostly personal cards (a family card
 * shared by 2–3 in some households), mobile users behind carrier NATs (hubs), a few VPN users, accounts
 * created over 18 months with a recent-growth skew, and ordinary mixed usage with a heavy-tailed volume.
 * Bystanders are households whose home line doubles as one of a swarm's residential proxy exits.
 * Tactic worlds add three decoys here: resellers' clients (people living alone whose access one agency's
 * card pays for), users of a commercial residential proxy pool that a swarm also rents (bystanders), and
 * developers whose official SDK shows its default fingerprint.
 */
import { CAPABILITIES, CONSUMER_EMAIL_DOMAINS, ORGANIC_CAPABILITY_WEIGHTS, TOKEN, companyDomain, token, type Capability } from '../catalog';
import { organicCapabilities } from '../activity';
import { emitExchanges } from '../behaviour';
import { STREAM, type WorldModel } from '../model';
import { Rng, cumulativeOf, hash32, pickWeighted } from '../random';
import {
  DAY_MS, MOBILE_NAT_ROLE, STATUS_LEGIT, VPN_EXIT_ROLE, linkCommonTls, linkFingerprint, linkInstrument, linkIp, seenWithin, type GroupGenerator,
} from './group';

const EMAIL_WEIGHTS = cumulativeOf(CONSUMER_EMAIL_DOMAINS.map(([, weight]) => weight));
const CAPABILITY_WEIGHTS = cumulativeOf(CAPABILITIES.map((name) => ORGANIC_CAPABILITY_WEIGHTS[name]));
const PERSONAL_CARD_KINDS = cumulativeOf([86, 2, 1, 4, 6, 1]);
const PERSONAL_CARD_KIND_NAMES = ['card', 'prepaid_card', 'virtual_card', 'bank', 'wallet', 'other'];
/** People use the API less at weekends, but not much less. */
const ORGANIC_WEEK = [0.75, 1, 1, 1, 1, 1, 0.85];
/** Accounts are created over the 18 months before the window ends, more of them recently. */
const HISTORY_DAYS = 540;

/** The truth group of a multi-person household. */
export function householdGroup(h: number): string {
  return `household_${String(h).padStart(7, '0')}`;
}

export function pickCapability(rng: Rng): Capability {
  return CAPABILITIES[pickWeighted(rng, CAPABILITY_WEIGHTS)];
}

export function consumerEmail(rng: Rng): string {
  return rng.chance(0.04) ? companyDomain(rng.int(0, 1199)) : CONSUMER_EMAIL_DOMAINS[pickWeighted(rng, EMAIL_WEIGHTS)][0];
}

export function personalCardKind(rng: Rng): string {
  return PERSONAL_CARD_KIND_NAMES[pickWeighted(rng, PERSONAL_CARD_KINDS)];
}

/** A quarter of accounts make no exchange in the window; the others are active on an exponentially distributed share of days (mean 19%). */
const DORMANT_SHARE = 0.25;
const MEAN_DAY_PROBABILITY = 0.19;

/** Per-account engagement: many light users, a heavy tail of power users, some dormant in the window. */
export function organicEngagement(rng: Rng): { dayProbability: number; dailyMean: number } {
  if (rng.chance(DORMANT_SHARE)) return { dayProbability: 0, dailyMean: 0 };
  return { dayProbability: Math.min(0.9, -MEAN_DAY_PROBABILITY * Math.log(1 - rng.next())), dailyMean: Math.min(400, rng.lognormal(2.2, 1.0)) };
}

const TACTICS: Record<string, string> = {
  organic: 'ordinary users living alone',
  households: 'families and flatmates sharing a home line, some a family card',
  vpn_users: 'ordinary users of commercial VPN exits (is_proxy=true, shared by many unrelated users)',
  bystanders: 'households whose home line is also a residential proxy exit the big swarm uses',
  tacticBystanders: 'households whose home line is also a swarm\'s residential proxy exit, and ordinary users of a commercial residential proxy pool a swarm also rents',
  reseller: 'ordinary independent people (own households, lines, devices, usage) whose API access one agency pays for with one card',
  class: 'students of one class (each in their own household) doing the same homework on the teacher\'s template, in the same hour on class days',
};
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Share of VPN users who use a commercial residential proxy pool instead, when a swarm rents from one (shared-residential). */
const POOL_USER_SHARE = 0.4;
/** Main uses that make someone a developer who might call the API through an official SDK unchanged. */
const DEVELOPER_CAPABILITIES = new Set<Capability>(['software_engineering', 'agentic_reasoning', 'data_analysis']);
export const SDK_ROLE = 'public SDK default fingerprint';

/**
 * The resellers' wished sizes, from the seed: the first pays for 2.5% of accounts (10–500), so its card is on
 * more than 2% of a 20,000-account world; the others for 10–500 clients, log-uniform.
 */
export function layoutResellers(model: WorldModel): Array<{ name: string; card: string; kind: 'card' | 'virtual_card'; wanted: number }> {
  const { options } = model;
  return Array.from({ length: options.resellers }, (_, r) => {
    const rng = new Rng(hash32(options.seed, STREAM.reseller, r));
    const wanted = r === 0 ? Math.max(10, Math.min(500, Math.round(options.accounts * 0.025))) : Math.round(10 * 50 ** rng.next());
    return {
      name: `reseller_${String(r + 1).padStart(2, '0')}`,
      card: token(model.tokenKey, TOKEN.resellerCard, r),
      kind: rng.chance(0.5) ? 'card' : 'virtual_card',
      wanted,
    };
  });
}

export function organicGroup(model: WorldModel, baseSize: number, signups: number): GroupGenerator {
  const { options, clock } = model;
  const tacticWorld = options.tactics !== null;
  const tallies = {
    organic: model.tallyFor('organic', 'organic', true, TACTICS.organic),
    households: model.tallyFor('households', 'household', true, TACTICS.households),
    vpn_users: model.tallyFor('vpn_users', 'vpn_users', true, TACTICS.vpn_users),
    bystanders: model.tallyFor('bystanders', 'bystander', true, tacticWorld ? TACTICS.tacticBystanders : TACTICS.bystanders),
  };
  const resellers = model.resellers.map((reseller) => ({
    ...reseller,
    tally: model.tallyFor(reseller.name, 'reseller', true, TACTICS.reseller, { card: reseller.card, card_kind: reseller.kind, clients: reseller.clients }),
    role: `card of ${reseller.name}`,
  }));
  // Behaviour worlds: classes, whose members do homework together (besides their own use of the API).
  const classes = (model.habits?.classes ?? []).map((plan) => model.tallyFor(plan.name, 'class', true, TACTICS.class, {
    country: plan.country,
    homework_template: plan.homework.template,
    client: plan.homework.client,
    capability: plan.homework.capability,
    weekdays: WEEKDAY_NAMES.filter((_, w) => ((plan.homework.weekdays >> w) & 1) === 1),
    start_utc: `${String(Math.floor(plan.homework.startMinute / 60)).padStart(2, '0')}:${String(plan.homework.startMinute % 60).padStart(2, '0')}`,
    attendance: Math.round(plan.homework.attendance * 100) / 100,
  }));
  return {
    name: 'organic',
    kind: 'organic',
    legitimate: true,
    tactic: 'ordinary users in households',
    baseSize,
    size: baseSize + signups,
    emit(rank, slot, rng) {
      const out = model.out;
      const h = model.householdOfRank[rank];
      const member = rank - model.householdStart[h];
      const home = model.household(h);
      const isSignup = rank >= baseSize;
      const createdMs = isSignup
        ? clock.startMs + (options.baseDays + rng.next() * 7) * DAY_MS
        : clock.startMs + options.baseDays * DAY_MS - rng.next() ** 1.6 * HISTORY_DAYS * DAY_MS;
      const usesVpn = rng.chance(options.vpnShare);
      const usesMobile = rng.chance(options.mobileShare);
      // Tactic worlds only (no draw otherwise): a reseller's client; a VPN user on a swarm's commercial pool.
      const reseller = model.resellerOfRank(rank);
      // Behaviour worlds only (no draw): a class member, who does not rent a swarm's pool.
      const klass = model.habits ? model.habits.classOf(rank) : -1;
      const pools = model.sharedExitPools;
      const pool = usesVpn && reseller < 0 && klass < 0 && pools.length > 0 && rng.chance(POOL_USER_SHARE) ? pools[Math.floor(rng.next() * pools.length)] : -1;

      // One truth group per account, by precedence: bystander > reseller > class > vpn_users > household > organic.
      const entry = home.proxyExitRole || pool >= 0 ? tallies.bystanders
        : reseller >= 0 ? resellers[reseller].tally
          : klass >= 0 ? classes[klass]
            : usesVpn ? tallies.vpn_users
              : model.householdSize(h) > 1 ? tallies.households : tallies.organic;
      out.begin(model.accountId(slot), entry.tally);
      out.member(entry === tallies.households ? householdGroup(h) : entry.name, entry.kind);
      if (entry === tallies.households && home.familyCardMembers > 0) model.countFamilyAccount(h);
      out.account(createdMs, consumerEmail(rng), home.country, STATUS_LEGIT(rng));

      const endMs = clock.endMs;
      // Payment: the reseller's card for its clients, the family card for the first members of some
      // households, otherwise a personal one.
      if (reseller >= 0) {
        linkInstrument(model, rng, resellers[reseller].card, resellers[reseller].kind, createdMs, endMs, resellers[reseller].role);
      } else if (member < home.familyCardMembers) {
        linkInstrument(model, rng, token(model.tokenKey, TOKEN.familyCard, h), 'card', createdMs, endMs, null);
      } else {
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.instrument(token(model.tokenKey, TOKEN.personalCard, slot), personalCardKind(rng), first, last);
      }
      if (rng.chance(0.05)) {
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.instrument(token(model.tokenKey, TOKEN.secondCard, slot), personalCardKind(rng), first, last);
      }

      // Home line; a few accounts' sessions arrive as two rows for the same IP (the importer merges them).
      const [homeFirst, homeLast] = seenWithin(rng, createdMs, endMs);
      const homeRequests = rng.lognormal(60, 1);
      out.ip(home.address, homeFirst, homeLast, homeRequests, home.carrier.asn, home.isProxyFlagged);
      if (rng.chance(0.03)) out.ip(home.address, homeFirst, homeFirst + (homeLast - homeFirst) / 2, rng.lognormal(10, 1), home.carrier.asn, home.isProxyFlagged);
      if (home.proxyExitRole) model.countShared('ip', home.address, home.proxyExitRole);
      if (usesMobile) linkIp(model, rng, model.pickMobileNat(rng, home.country), createdMs, endMs, 25, 1, MOBILE_NAT_ROLE);
      if (usesVpn) {
        const exits = rng.int(1, 3);
        for (let i = 0; i < exits; i++) {
          if (pool >= 0) {
            const exit = model.pickPoolExit(rng, pool);
            linkIp(model, rng, model.tacticExit(pool, exit), createdMs, endMs, 20, 1, model.tacticExitRole(pool, exit));
          } else {
            linkIp(model, rng, model.vpnExits[Math.floor(rng.next() * model.vpnExits.length)], createdMs, endMs, 20, 1, VPN_EXIT_ROLE);
          }
        }
      }

      linkCommonTls(model, rng, createdMs, endMs);
      if (rng.chance(0.12)) {
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.fingerprint(token(model.tokenKey, TOKEN.personalDevice, slot, true), rng.chance(0.5) ? 'device' : 'browser', first, last);
      }

      const engagement = organicEngagement(rng);
      const mix = organicCapabilities(rng, () => pickCapability(rng));
      // Tactic worlds: some developers call the API through an official SDK left at its defaults.
      let sdkIndex = -1;
      if (options.sdkShare > 0 && engagement.dayProbability > 0 && DEVELOPER_CAPABILITIES.has(mix.capabilities[0]) && rng.chance(options.sdkShare)) {
        const sdk = model.pickSdkFingerprint(rng);
        sdkIndex = model.sdkFingerprints.indexOf(sdk);
        linkFingerprint(model, rng, sdk.id, sdk.kind, createdMs, endMs, SDK_ROLE);
      }
      const plan = model.habits?.personPlan(rng, {
        slot, country: home.country, student: false, mainCapability: mix.capabilities[0], sdk: sdkIndex, createdMs, classIndex: klass,
      }) ?? null;
      emitExchanges(model, rng, {
        firstDay: Math.ceil((createdMs - clock.startMs) / DAY_MS),
        lastDay: clock.days - 1,
        dayProbability: engagement.dayProbability,
        weekdayFactor: ORGANIC_WEEK,
        dailyMean: engagement.dailyMean,
        capabilities: mix.capabilities,
        shares: mix.shares,
        hours: 'evening',
        outputScale: 1,
        atLeastOne: true,
      }, plan);
    },
  };
}
