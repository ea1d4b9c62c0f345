/**
 * Risk 0–100 and its reasons: an additive, explainable score (a points card, as in credit scoring and fraud
 * rules engines) rather than a trained model, because there are no labels to train on and every point must be
 * explainable to an investigator and to legal.
 *
 *   strength_f = ramp(x_f; low_f, high_f) = clamp((x_f − low_f) / (high_f − low_f), 0, 1)
 *   risk       = clamp(round( Σ_f weight_f · strength_f  −  Σ_m mitigation_m · [condition_m] ), 0, 100)
 *   tier       = high when risk ≥ tiers.high, medium when ≥ tiers.medium, else low
 *
 * The minute-level behaviour features (template concentration, evenly spaced calls, hand-offs, round-the-clock
 * work, uniform token sizes) add at most behaviour.maxPoints together: their points are scaled down in proportion
 * above that cap (20, under the medium tier's 35), so behaviour corroborates other evidence and alone never makes a
 * cluster medium risk.
 *
 * Every feature, weight and threshold is in DEFAULTS and explained in docs/risk-model.md. A feature that
 * contributes points becomes a Reason with the measured value and, where one exists, the platform baseline.
 */
import { handoffNullWindows } from './behaviour';
import { int, num, pct } from './format';
import type { Baseline, ClusterProfile, Reason, RiskTier } from './types';

export const DEFAULTS = {
  /** Tier cut-offs on the 0–100 score. */
  tiers: { high: 60, medium: 35 },
  /**
   * Clusters smaller than this get no behaviour features (creation bursts, capability mix, heavy use, synchrony):
   * three accounts with 60 exchanges between them cannot show a targeted mix or a rhythm.
   */
  minAccountsForBehaviour: 4,
  /** The burstiness index of creation gaps needs more points than that: with a handful of gaps it is noise. */
  minAccountsForBurstiness: 10,
  /** A proxy/TLS fingerprint is an automation fingerprint when this share of its platform accounts are in the cluster. */
  exclusiveShare: 0.8,
  /** How many top shared identifiers each profile lists. */
  topIdentifiers: 10,
  /** A regular card or bank account paying for at least this many members is a corporate card. */
  corporateCardMinMembers: 5,
  /** An email domain with at least this many members (and half its platform accounts in the cluster) is the cluster's own. */
  exclusiveDomainMinMembers: 5,
  /** The minute-level behaviour profile (src/score/behaviour.ts): how it is measured, and the most its reasons add together. */
  behaviour: {
    /** k of the top-template share. */
    topTemplates: 3,
    /** An account's inter-arrival CV needs this many gaps between active minutes on the same day. */
    minGapsPerAccount: 8,
    /** A pause longer than this ends a session. */
    sessionGapMinutes: 15,
    /** A session starting 0 … this many minutes after another member's session ends is a hand-off. */
    handoffMinutes: 2,
    /** The quiet window: an account's quietest this-many consecutive hours of the UTC day. */
    quietHours: 6,
    /** An ordinary account's own output-token CV needs this many day cells with tokens. */
    minTokenCellsPerAccount: 5,
    /** All behaviour reasons together add at most this many points (scaled down in proportion above it). */
    maxPoints: 20,
  },
  features: {
    sharedPrepaidCards: { weight: 25, low: 0.1, high: 0.5, lowMembers: 50, highMembers: 500 },
    /** Intensity of the same fact as sharedPrepaidCards (cards pooled across accounts): the two add at most maxWithShared. */
    prepaidCardPooling: { weight: 15, low: 5, high: 20, maxWithShared: 30 },
    automationFingerprints: { weight: 20, low: 0.05, high: 0.5, lowMembers: 50, highMembers: 500 },
    proxyExits: { weight: 15, low: 0.2, high: 0.7, overBaseline: 3 },
    burstCreation24h: { weight: 15, low: 0.3, high: 0.8 },
    burstCreationIndex: { weight: 15, low: 0.3, high: 0.7 },
    capabilityTargeting: { weight: 15, low: 0.15, high: 0.45, chanceMultiple: 2 },
    heavyUse: { weight: 10, low: 2, high: 6 },
    volumeShare: { weight: 10, low: 0.01, high: 0.1 },
    synchronisedActivity: { weight: 5, low: 0.5, high: 0.85 },
    inStep: { weight: 35, low: 0.4, high: 0.8 },
    throwawayDomains: { weight: 10, low: 0.2, high: 0.6, minDomains: 3 },
    templateConcentration: { weight: 8, low: 0.6, overBaseline: 0.2, high: 0.95, minMembers: 10 },
    evenlySpacedCalls: { weight: 8, fullAt: 0.15, zeroAt: 0.5, ofBaseline: 0.5, minMembers: 4 },
    handoffs: { weight: 8, low: 0.15, high: 0.45, minSessions: 30 },
    roundTheClock: { weight: 6, low: 0.08, overBaseline: 2, high: 0.2 },
    uniformTokenSizes: { weight: 5, fullAt: 0.1, zeroAt: 0.35, ofBaseline: 0.5, minCells: 20 },
  },
  mitigations: {
    corporateCard: { points: 20, minShare: 0.6 },
    organicCreationSpread: { points: 15, minSpanDays: 60, maxBusiest24h: 0.2, maxBusiest24hAccounts: 2, maxBurstiness: 0.3 },
    singleNetworkNoProxy: { points: 10, minTopAsnShare: 0.7, maxProxyShare: 0.1 },
    organisationEmailDomain: { points: 10, minShare: 0.6, maxDomains: 2 },
    /**
     * Both of the above: the group says who it is. What one organisation explains — members created together
     * (onboarding), behind one gateway (proxy-flagged corporate egress), active on the same days (office hours) —
     * then counts this share of its points. What the members do (capability focus, heavy use, volume) and what an
     * organisation does not explain (pooled prepaid cards, automation fingerprints, acting in step, minute-level
     * behaviour) count in full.
     */
    declaredOrganisation: { explainedShare: 0.5, explains: ['BURST_CREATION', 'PROXY_EXITS', 'SYNCHRONISED_ACTIVITY'] },
  },
} as const;

/** DEFAULTS' shape with plain numbers, so callers can pass their own weights and thresholds. */
type Widen<T> = T extends number ? number : T extends object ? { readonly [K in keyof T]: Widen<T[K]> } : T;
export type RiskModel = Widen<typeof DEFAULTS>;

export function ramp(value: number, low: number, high: number): number {
  if (!(value > low)) return 0;
  if (value >= high) return 1;
  return (value - low) / (high - low);
}

/** The falling ramp: 1 at or below fullAt, 0 at or above zeroAt (for measures where less is more suspicious). */
function rampDown(value: number, fullAt: number, zeroAt: number): number {
  return ramp(zeroAt - value, 0, zeroAt - fullAt);
}

/** The profile fields the score reads (everything but the score itself). */
export type ScoredInput = Omit<ClusterProfile, 'risk' | 'tier' | 'reasons'>;

export function scoreCluster(
  profile: ScoredInput,
  baseline: Baseline,
  model: RiskModel = DEFAULTS,
): { risk: number; tier: RiskTier; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const f = model.features;
  const add = (points: number, reason: Omit<Reason, 'points'>): void => {
    const rounded = Math.round(points * 10) / 10;
    if (rounded !== 0) reasons.push({ ...reason, points: rounded });
  };
  const n = profile.accounts;
  const { payment, network, time } = profile;

  // Share of members, or — for a swarm diluted by bystanders — the absolute number of members, whichever is stronger.
  const sharedPrepaidMembers = Math.round(payment.shared_prepaid_virtual_member_share * payment.accounts_with_instrument);
  const prepaid = f.sharedPrepaidCards;
  add(
    prepaid.weight *
      Math.max(ramp(payment.shared_prepaid_virtual_member_share, prepaid.low, prepaid.high), ramp(sharedPrepaidMembers, prepaid.lowMembers, prepaid.highMembers)),
    {
      code: 'SHARED_PREPAID_CARDS',
      text:
        `${int(sharedPrepaidMembers)} of ${int(payment.accounts_with_instrument)} accounts with a payment method share ` +
        `${int(payment.shared_prepaid_virtual)} prepaid/virtual cards: ${num(payment.accounts_per_shared_prepaid_virtual)} accounts per card ` +
        `vs ${num(baseline.accounts_per_instrument)} accounts per instrument for ordinary accounts`,
      value: payment.accounts_per_shared_prepaid_virtual,
      baseline: baseline.accounts_per_instrument,
    },
  );
  // How many accounts each pooled card pays for is the same fact seen from the card's side: it adds to the share
  // above only up to maxWithShared together, so one agency paying for its clients on one card is not two reasons.
  const sharedPoints = reasons.find((r) => r.code === 'SHARED_PREPAID_CARDS')?.points ?? 0;
  const pooling = f.prepaidCardPooling;
  const poolingPoints = Math.min(
    pooling.weight * ramp(payment.accounts_per_shared_prepaid_virtual, pooling.low, pooling.high),
    Math.max(0, pooling.maxWithShared - sharedPoints),
  );
  add(poolingPoints, {
    code: 'PREPAID_CARD_POOLING',
    text: `each shared prepaid/virtual card pays for ${num(payment.accounts_per_shared_prepaid_virtual)} accounts on average — far more than a family shares`,
    value: payment.accounts_per_shared_prepaid_virtual,
  });

  const automationMembers = Math.round(network.automation_fingerprint_share * n);
  const automation = f.automationFingerprints;
  add(
    automation.weight *
      Math.max(ramp(network.automation_fingerprint_share, automation.low, automation.high), ramp(automationMembers, automation.lowMembers, automation.highMembers)),
    {
      code: 'AUTOMATION_FINGERPRINTS',
      text:
        `${int(automationMembers)} accounts (${pct(network.automation_fingerprint_share)}) use one of ${int(network.automation_fingerprints)} proxy/TLS ` +
        `fingerprints that almost only this cluster uses (≥ ${pct(model.exclusiveShare)} of their accounts): shared automation tooling`,
      value: network.automation_fingerprint_share,
    },
  );

  const proxyLow = Math.max(f.proxyExits.low, f.proxyExits.overBaseline * baseline.proxy_share);
  add(f.proxyExits.weight * ramp(network.proxy_share, proxyLow, Math.max(f.proxyExits.high, proxyLow + 0.1)), {
    code: 'PROXY_EXITS',
    text: `${pct(network.proxy_share)} of accounts connect through proxy-flagged IPs vs ${pct(baseline.proxy_share)} for ordinary accounts`,
    value: network.proxy_share,
    baseline: baseline.proxy_share,
  });

  const behaviour = n >= model.minAccountsForBehaviour;
  if (behaviour && time.created_first !== null) {
    const by24h = ramp(time.busiest_24h_share, f.burstCreation24h.low, f.burstCreation24h.high);
    const byIndex = n >= model.minAccountsForBurstiness ? ramp(time.creation_burstiness, f.burstCreationIndex.low, f.burstCreationIndex.high) : 0;
    if (by24h >= byIndex) {
      add(f.burstCreation24h.weight * by24h, {
        code: 'BURST_CREATION',
        text: `${pct(time.busiest_24h_share)} of accounts were created within one 24-hour window (${pct(time.busiest_1h_share)} within one hour)`,
        value: time.busiest_24h_share,
      });
    } else {
      add(f.burstCreationIndex.weight * byIndex, {
        code: 'BURST_CREATION',
        text:
          `accounts were created in bursts: burstiness ${num(time.creation_burstiness)} (0 = random sign-ups, 1 = bursts) ` +
          `over ${num(time.creation_span_days)} days`,
        value: time.creation_burstiness,
        baseline: 0,
      });
    }
  }

  // A few accounts' mix strays from the platform's by chance (people specialise): only the distance beyond
  // chanceMultiple × what a random group of ordinary accounts as busy as these shows is targeting.
  const targeted = overrepresented(profile, baseline);
  const chance = profile.capability_chance_distance ?? 0;
  const targeting = f.capabilityTargeting;
  const beyondChance = profile.capability_distance - targeting.chanceMultiple * chance;
  add((behaviour ? targeting.weight : 0) * ramp(beyondChance, targeting.low, targeting.high), {
    code: 'CAPABILITY_TARGETING',
    text:
      `${pct(targeted.share)} of exchanges are ${targeted.names.join(' and ') || 'other capabilities'} vs ` +
      `${pct(targeted.baselineShare)} for ordinary accounts (mix distance ${num(profile.capability_distance)}` +
      (chance >= 0.005 ? `; ${num(chance)} for a random group of ${int(Math.round(profile.effective_members ?? 0))} equally busy ordinary accounts` : '') +
      ')',
    value: profile.capability_distance,
    baseline: chance,
  });

  const intensity = baseline.exchanges_per_account_day > 0 ? profile.exchanges_per_account_day / baseline.exchanges_per_account_day : 0;
  add((behaviour ? f.heavyUse.weight : 0) * ramp(intensity, f.heavyUse.low, f.heavyUse.high), {
    code: 'HEAVY_USE',
    text:
      `${num(profile.exchanges_per_account_day)} exchanges per account per active day vs ` +
      `${num(baseline.exchanges_per_account_day)} for ordinary accounts (${num(intensity)}×)`,
    value: profile.exchanges_per_account_day,
    baseline: baseline.exchanges_per_account_day,
  });

  add(f.volumeShare.weight * ramp(profile.share_of_platform_exchanges, f.volumeShare.low, f.volumeShare.high), {
    code: 'LARGE_VOLUME_SHARE',
    text: `${int(profile.exchanges)} exchanges: ${pct(profile.share_of_platform_exchanges)} of all platform traffic from ${int(n)} accounts`,
    value: profile.share_of_platform_exchanges,
  });

  // Acting in step is a tie, not a profile trait: a dispatcher's accounts fire in the same minutes on one template
  // day after day. Points need most members in step on most days of their active span (a class is in step on
  // class days only), so it is not in the behaviour cap.
  add(f.inStep.weight * ramp(time.in_step_day_share, f.inStep.low, f.inStep.high), {
    code: 'IN_STEP',
    text:
      `members act in the same minutes on one template as other members, beyond what busy hours explain: ` +
      `on ${pct(time.in_step_day_share)} of the days a typical member was active from first to last`,
    value: time.in_step_day_share,
  });

  if (behaviour) {
    add(f.synchronisedActivity.weight * ramp(time.activity_synchrony, f.synchronisedActivity.low, f.synchronisedActivity.high), {
      code: 'SYNCHRONISED_ACTIVITY',
      text: `members are active on the same days: on a typical member's active day ${pct(time.activity_synchrony)} of the cluster is active too`,
      value: time.activity_synchrony,
    });
  }

  // One own domain per company is what a group of companies looks like (teams merged through a shared security
  // gateway): up to max(maxDomains, corporate cards) own domains read as organisations, more as a throwaway pool.
  const organisationDomains = Math.max(model.mitigations.organisationEmailDomain.maxDomains, payment.corporate_cards);
  if (behaviour && network.exclusive_domains >= f.throwawayDomains.minDomains && network.exclusive_domains > organisationDomains) {
    add(f.throwawayDomains.weight * ramp(network.exclusive_domain_share, f.throwawayDomains.low, f.throwawayDomains.high), {
      code: 'THROWAWAY_EMAIL_DOMAINS',
      text:
        `${pct(network.exclusive_domain_share)} of accounts registered on ${int(network.exclusive_domains)} email domains that almost only ` +
        `this cluster uses: a pool of throwaway domains, not one organisation's`,
      value: network.exclusive_domains,
    });
  }

  reasons.push(...behaviourReasons(profile, baseline, model));

  const m = model.mitigations;
  if (payment.corporate_card_member_share >= m.corporateCard.minShare && payment.shared_prepaid_virtual === 0) {
    add(-m.corporateCard.points, {
      code: 'CORPORATE_CARD',
      text:
        `${pct(payment.corporate_card_member_share)} of accounts pay with ` +
        `${payment.corporate_cards === 1 ? 'one card that pays' : `${int(payment.corporate_cards)} cards that each pay`} for ${int(model.corporateCardMinMembers)}+ members, ` +
        `and none share prepaid or virtual cards, as a company paying for its staff does`,
      value: payment.corporate_card_member_share,
    });
  }
  const organic = m.organicCreationSpread;
  if (
    behaviour &&
    time.created_first !== null &&
    time.creation_span_days >= organic.minSpanDays &&
    (time.busiest_24h_share <= organic.maxBusiest24h || Math.round(time.busiest_24h_share * n) <= organic.maxBusiest24hAccounts) &&
    (n < model.minAccountsForBurstiness || time.creation_burstiness <= organic.maxBurstiness)
  ) {
    add(-organic.points, {
      code: 'ORGANIC_CREATION_SPREAD',
      text:
        `accounts were created over ${int(time.creation_span_days)} days with no burst (busiest 24 h: ${pct(time.busiest_24h_share)}, ` +
        `burstiness ${num(time.creation_burstiness)})`,
      value: time.creation_span_days,
    });
  }
  const network1 = m.singleNetworkNoProxy;
  if (network.top_asn !== null && network.top_asn_share >= network1.minTopAsnShare && network.proxy_share <= network1.maxProxyShare) {
    add(-network1.points, {
      code: 'SINGLE_NETWORK_NO_PROXY',
      text:
        `${pct(network.top_asn_share)} of connections come from one network (${network.top_asn}) with ${pct(network.proxy_share)} ` +
        `proxy use, as an office or campus does`,
      value: network.top_asn_share,
    });
  }
  const domains = network.exclusive_domains;
  if (behaviour && domains >= 1 && domains <= organisationDomains && network.exclusive_domain_share >= m.organisationEmailDomain.minShare) {
    add(-m.organisationEmailDomain.points, {
      code: 'ORGANISATION_EMAIL_DOMAIN',
      text:
        `${pct(network.exclusive_domain_share)} of accounts registered with ${domains === 1 ? 'one email domain' : `${domains} email domains`} ` +
        `(top: ${network.top_email_domain}) that few accounts outside the group use: an organisation's own`,
      value: network.exclusive_domain_share,
    });
  }

  const declared = m.declaredOrganisation;
  if (reasons.some((r) => r.code === 'CORPORATE_CARD') && reasons.some((r) => r.code === 'ORGANISATION_EMAIL_DOMAIN')) {
    const explains: readonly string[] = declared.explains;
    const explained = reasons.filter((r) => explains.includes(r.code) && r.points > 0);
    const explainedPoints = explained.reduce((sum, r) => sum + r.points, 0);
    add(-(1 - declared.explainedShare) * explainedPoints, {
      code: 'DECLARED_ORGANISATION',
      text:
        `the group pays with its own corporate cards and registers under its own domain: ` +
        `${explained.map((r) => r.code.toLowerCase().replace(/_/g, ' ')).join(', ')} ` +
        `(${num(explainedPoints)} points) are what one organisation's onboarding, gateway and office days look like, and count ${pct(declared.explainedShare)}`,
      value: explainedPoints,
    });
  }

  let total = 0;
  for (const reason of reasons) total += reason.points;
  const risk = Math.max(0, Math.min(100, Math.round(total)));
  // Raising reasons first (largest first), then mitigating ones (largest first): the first reason is the headline.
  reasons.sort((x, y) => (x.points > 0 === y.points > 0 ? Math.abs(y.points) - Math.abs(x.points) : y.points - x.points));
  const tier: RiskTier = risk >= model.tiers.high ? 'high' : risk >= model.tiers.medium ? 'medium' : 'low';
  return { risk, tier, reasons };
}

/**
 * The minute-level behaviour reasons, each ramped against the platform's figure (or, for hand-offs, the cluster's
 * own null model), then scaled down together so they add at most behaviour.maxPoints: behaviour corroborates
 * coordination, and a legitimate group that works alike (a class on one template, an agent framework's users
 * running overnight) must not climb a tier on it alone.
 */
function behaviourReasons(profile: ScoredInput, baseline: Baseline, model: RiskModel): Reason[] {
  const b = profile.behaviour;
  const base = baseline.behaviour;
  // Profiles and baselines read back from sweeps saved before the behaviour profile have neither.
  if (!b || !base || b.active_members < model.minAccountsForBehaviour) return [];
  const f = model.features;
  const settings = model.behaviour;
  const raw: Reason[] = [];
  const add = (points: number, reason: Omit<Reason, 'points'>, platform: number | null): void => {
    if (points > 0) raw.push({ ...reason, ...(platform === null ? {} : { baseline: platform }), points });
  };
  const versus = (figure: string | null): string => (figure === null ? '' : ` vs ${figure} for ordinary accounts`);

  const templates = f.templateConcentration;
  if (b.top_template_share !== null && b.templated_members >= templates.minMembers) {
    const platform = base.top_template_share;
    const low = Math.max(templates.low, platform === null ? 0 : platform + templates.overBaseline);
    add(templates.weight * ramp(b.top_template_share, low, Math.max(templates.high, low + 0.05)), {
      code: 'TEMPLATE_CONCENTRATION',
      text:
        `${pct(b.top_template_share)} of the cluster's templated exchanges use its top ${int(settings.topTemplates)} of ` +
        `${int(b.templates)} request templates${versus(platform === null ? null : `${pct(platform)} on the platform's top ${int(settings.topTemplates)}`)}`,
      value: b.top_template_share,
    }, platform);
  }

  const spacing = f.evenlySpacedCalls;
  if (b.interarrival_cv !== null && b.rhythm_members >= spacing.minMembers) {
    const platform = base.interarrival_cv;
    const zeroAt = Math.max(spacing.fullAt + 0.1, Math.min(spacing.zeroAt, platform === null ? Infinity : spacing.ofBaseline * platform));
    add(spacing.weight * rampDown(b.interarrival_cv, spacing.fullAt, zeroAt), {
      code: 'EVENLY_SPACED_CALLS',
      text:
        `members call at evenly spaced times: the median coefficient of variation of the gaps between an account's active minutes ` +
        `is ${num(b.interarrival_cv)} over ${int(b.rhythm_members)} accounts (0 = a fixed rate; people are bursty, 1 or more)` +
        versus(platform === null ? null : num(platform)),
      value: b.interarrival_cv,
    }, platform);
  }

  const handoffs = f.handoffs;
  if (b.handoffs_per_session !== null && b.expected_handoffs_per_session !== null && b.sessions >= handoffs.minSessions) {
    const width = settings.handoffMinutes + 1;
    // The excess over the time-shifted null, relative to 1 + the null: a relay hands over about once a session
    // against almost none expected; a 2,000-member team's overlapping sessions give dozens either way.
    const excess = (b.handoffs_per_session - b.expected_handoffs_per_session) / (1 + b.expected_handoffs_per_session);
    add(handoffs.weight * ramp(excess, handoffs.low, handoffs.high), {
      code: 'HANDOFFS',
      text:
        `members take over from one another: ${num(b.handoffs_per_session)} hand-offs per session (a session starting 0–` +
        `${int(settings.handoffMinutes)} minutes after another member's stopped, when its next call was due) vs ` +
        `${num(b.expected_handoffs_per_session)} expected from the same ${int(b.sessions)} sessions ` +
        `${int(width)}–${int((handoffNullWindows(settings) + 1) * width - 1)} minutes apart`,
      value: b.handoffs_per_session,
    }, b.expected_handoffs_per_session);
  }

  const clock = f.roundTheClock;
  if (b.quiet_hours_share !== null) {
    const platform = base.quiet_hours_share;
    const low = Math.max(clock.low, platform === null ? 0 : clock.overBaseline * platform);
    add(clock.weight * ramp(b.quiet_hours_share, low, Math.max(clock.high, low + 0.05)), {
      code: 'ROUND_THE_CLOCK',
      text:
        `members work around the clock: ${pct(b.quiet_hours_share)} of their active minutes fall in each account's own quietest ` +
        `${int(settings.quietHours)} hours of the day (${pct(settings.quietHours / 24)} if spread evenly, near 0% for someone who sleeps)` +
        versus(platform === null ? null : pct(platform)),
      value: b.quiet_hours_share,
    }, platform);
  }

  const tokens = f.uniformTokenSizes;
  if (b.output_token_cv !== null && b.token_cells >= tokens.minCells) {
    const platform = base.output_token_cv;
    const zeroAt = Math.max(tokens.fullAt + 0.1, Math.min(tokens.zeroAt, platform === null ? Infinity : tokens.ofBaseline * platform));
    add(tokens.weight * rampDown(b.output_token_cv, tokens.fullAt, zeroAt), {
      code: 'UNIFORM_TOKEN_SIZES',
      text:
        `output tokens per exchange hardly vary: coefficient of variation ${num(b.output_token_cv)} within a capability across the ` +
        `members' ${int(b.token_cells)} daily tallies` + (platform === null ? '' : ` vs ${num(platform)} within one ordinary account (median)`),
      value: b.output_token_cv,
    }, platform);
  }

  let total = 0;
  for (const reason of raw) total += reason.points;
  const scale = total > settings.maxPoints ? settings.maxPoints / total : 1;
  const reasons: Reason[] = [];
  for (const reason of raw) {
    const points = Math.round(reason.points * scale * 10) / 10;
    if (points !== 0) reasons.push({ ...reason, points });
  }
  return reasons;
}

/** The capabilities the cluster uses more than the baseline (lift > 1.25), largest excess first (at most 2 named). */
function overrepresented(profile: ScoredInput, baseline: Baseline): { names: string[]; share: number; baselineShare: number } {
  const over = Object.keys(profile.capability_mix)
    .filter((name) => profile.capability_mix[name] > 1.25 * (baseline.capability_mix[name] ?? 0))
    .sort((x, y) => profile.capability_mix[y] - (baseline.capability_mix[y] ?? 0) - (profile.capability_mix[x] - (baseline.capability_mix[x] ?? 0)))
    .slice(0, 2);
  let share = 0;
  let baselineShare = 0;
  for (const name of over) {
    share += profile.capability_mix[name];
    baselineShare += baseline.capability_mix[name] ?? 0;
  }
  return { names: over, share, baselineShare };
}
