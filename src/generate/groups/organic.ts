/**
 * The organic population: households of 1–5 sharing a home line, mostly personal cards (a family card
 * shared by 2–3 in some households), mobile users behind carrier NATs (hubs), a few VPN users, accounts
 * created over 18 months with a recent-growth skew, and ordinary mixed usage with a heavy-tailed volume.
 * Bystanders are households whose home line doubles as one of the big swarm's residential proxy exits.
 */
import { CAPABILITIES, CONSUMER_EMAIL_DOMAINS, ORGANIC_CAPABILITY_WEIGHTS, TOKEN, companyDomain, token, type Capability } from '../catalog';
import { emitActivity, organicCapabilities } from '../activity';
import type { WorldModel } from '../model';
import { cumulativeOf, pickWeighted, type Rng } from '../random';
import { DAY_MS, STATUS_LEGIT, seenWithin, type GroupGenerator } from './group';

const EMAIL_WEIGHTS = cumulativeOf(CONSUMER_EMAIL_DOMAINS.map(([, weight]) => weight));
const CAPABILITY_WEIGHTS = cumulativeOf(CAPABILITIES.map((name) => ORGANIC_CAPABILITY_WEIGHTS[name]));
const PERSONAL_CARD_KINDS = cumulativeOf([86, 2, 1, 4, 6, 1]);
const PERSONAL_CARD_KIND_NAMES = ['card', 'prepaid_card', 'virtual_card', 'bank', 'wallet', 'other'];
/** People use the API less at weekends, but not much less. */
const ORGANIC_WEEK = [0.75, 1, 1, 1, 1, 1, 0.85];
/** Accounts are created over the 18 months before the window ends, more of them recently. */
const HISTORY_DAYS = 540;

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
};

export function organicGroup(model: WorldModel, baseSize: number, signups: number): GroupGenerator {
  const { options, clock } = model;
  const tallies = {
    organic: model.tallyFor('organic', 'organic', true, TACTICS.organic),
    households: model.tallyFor('households', 'household', true, TACTICS.households),
    vpn_users: model.tallyFor('vpn_users', 'vpn_users', true, TACTICS.vpn_users),
    bystanders: model.tallyFor('bystanders', 'bystander', true, TACTICS.bystanders),
  };
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

      // One truth group per account, by precedence: bystander > vpn_users > household > organic.
      const entry = home.bystanderExit >= 0 ? tallies.bystanders
        : usesVpn ? tallies.vpn_users
          : model.householdSize(h) > 1 ? tallies.households : tallies.organic;
      out.begin(model.accountId(slot), entry.tally);
      out.member(entry === tallies.households ? `household_${String(h).padStart(7, '0')}` : entry.name, entry.kind);
      out.account(createdMs, consumerEmail(rng), home.country, STATUS_LEGIT(rng));

      const endMs = clock.endMs;
      // Payment: the family card for the first members of some households, otherwise a personal one.
      if (member < home.familyCardMembers) {
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.instrument(token(model.tokenKey, TOKEN.familyCard, h), 'card', first, last);
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
      if (home.bystanderExit >= 0) model.countShared('ip', home.address, 'residential exit of swarm_residential_proxy and a household home line');
      if (usesMobile) {
        const nat = model.pickMobileNat(rng, home.country);
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.ip(nat.address, first, last, rng.lognormal(25, 1), nat.asn, false);
        model.countShared('ip', nat.address, 'mobile carrier NAT');
      }
      if (usesVpn) {
        const exits = rng.int(1, 3);
        for (let i = 0; i < exits; i++) {
          const exit = model.vpnExits[Math.floor(rng.next() * model.vpnExits.length)];
          const [first, last] = seenWithin(rng, createdMs, endMs);
          out.ip(exit.address, first, last, rng.lognormal(20, 1), exit.asn, true);
          model.countShared('ip', exit.address, 'commercial VPN exit');
        }
      }

      const tls = model.pickTls(rng);
      const [tlsFirst, tlsLast] = seenWithin(rng, createdMs, endMs);
      out.fingerprint(tls, 'tls', tlsFirst, tlsLast);
      model.countShared('fingerprint', tls, 'common browser TLS fingerprint');
      if (rng.chance(0.12)) {
        const [first, last] = seenWithin(rng, createdMs, endMs);
        out.fingerprint(token(model.tokenKey, TOKEN.personalDevice, slot, true), rng.chance(0.5) ? 'device' : 'browser', first, last);
      }

      const engagement = organicEngagement(rng);
      const mix = organicCapabilities(rng, () => pickCapability(rng));
      emitActivity(rng, {
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
      }, options.rawExchangeShare, out);
    },
  };
}
