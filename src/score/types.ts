/**
 * What scoring produces: one ClusterProfile per detected cluster and the platform Baseline it is compared with.
 * These objects are written to report.json as they are (snake_case keys), so the JSON schema
 * (docs/report-schema.md) and these types are the same thing; change both together and bump schema_version.
 */
import type { IdentifierKind } from '../core/world';

export const RISK_TIERS = ['high', 'medium', 'low'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/**
 * One reason behind a risk score. `points` is what it added to (positive) or took from (negative,
 * a mitigating reason) the 0–100 score; `value` is the measured number and `baseline` the platform's.
 */
export interface Reason {
  /** Stable code, e.g. SHARED_PREPAID_CARDS; documented in docs/risk-model.md. */
  code: string;
  /** A sentence a person understands, with the numbers. */
  text: string;
  value: number;
  baseline?: number;
  points: number;
}

/** An identifier shared by members of a cluster. */
export interface TopIdentifier {
  kind: IdentifierKind;
  /** Instrument kind, IP version or fingerprint kind. */
  subkind: string;
  id: string;
  /** Cluster members linked to it. */
  members: number;
  /** All accounts on the platform linked to it. */
  platform_accounts: number;
}

export interface ClusterTime {
  /** ISO 8601 of the earliest / latest member account creation; null when no member has a creation time. */
  created_first: string | null;
  created_last: string | null;
  creation_span_days: number;
  /** Share of members (with a creation time) created within the busiest 24 h / 1 h sliding window. */
  busiest_24h_share: number;
  busiest_1h_share: number;
  /** Goh–Barabási burstiness of gaps between consecutive creations: −1 periodic, 0 random (Poisson), → 1 bursty. */
  creation_burstiness: number;
  /** ISO dates (YYYY-MM-DD) of the first and last day with member exchanges; null without exchanges. */
  active_first_day: string | null;
  active_last_day: string | null;
  /** Calendar days from active_first_day to active_last_day inclusive. */
  active_window_days: number;
  /** Mean, over member-active-days, of the share of the cluster's active members active that same day (1 = all members active on exactly the same days). */
  activity_synchrony: number;
  /**
   * Mean over members of the share of the days from their first to their last active day on which they were in
   * step with other members (a synchrony identifier two or more members share: the same minutes on one template,
   * beyond the time-shifted null; src/graph/synchrony.ts). 0 without minute-level activity.
   */
  in_step_day_share: number;
}

export interface ClusterPayment {
  accounts_with_instrument: number;
  /** Share of members with an instrument who use at least one prepaid or virtual card. */
  prepaid_virtual_share: number;
  /** Distinct instruments used by members. */
  instruments: number;
  /** Member–instrument links per distinct instrument. */
  accounts_per_instrument: number;
  /** Instruments used by two or more members, and how many of them are prepaid or virtual cards. */
  shared_instruments: number;
  shared_prepaid_virtual: number;
  /** Share of members with an instrument who are on a prepaid/virtual card shared with another member. */
  shared_prepaid_virtual_member_share: number;
  /** Members on shared prepaid/virtual cards per such card (how many accounts one pooled card pays for). */
  accounts_per_shared_prepaid_virtual: number;
  /** Regular cards / bank accounts each paying for ≥ DEFAULTS.corporateCardMinMembers members, and the share of members on one. */
  corporate_cards: number;
  corporate_card_member_share: number;
  /** The single most-used instrument: share of members with an instrument on it, and its kind. */
  largest_instrument_share: number;
  largest_instrument_kind: string | null;
}

export interface ClusterNetwork {
  accounts_with_ip: number;
  /** Share of members with an IP who used at least one proxy-flagged IP. */
  proxy_share: number;
  distinct_ips: number;
  distinct_asns: number;
  /** Herfindahl–Hirschman index of member IP links over ASNs (1 = one network, → 0 = many). */
  asn_hhi: number;
  /** The ASN with the most member IP links, and its share. */
  top_asn: string | null;
  top_asn_share: number;
  /** Proxy/TLS fingerprints shared by ≥ 2 members and mostly (≥ DEFAULTS.exclusiveShare) used by this cluster. */
  automation_fingerprints: number;
  /** Share of members on such a fingerprint. */
  automation_fingerprint_share: number;
  /** Share of members (with a registered email domain) on the cluster's most common domain, and that domain. */
  top_email_domain: string | null;
  top_email_domain_share: number;
  /** Share of all the platform's accounts on that domain that are in this cluster (1 = the domain is this group's own). */
  top_email_domain_exclusivity: number;
  /**
   * Email domains that are this cluster's own: ≥ DEFAULTS.exclusiveDomainMinMembers members and at least half of
   * the domain's platform accounts in the cluster; and the share of members (with a domain) on one of them.
   * One or two such domains is an organisation; many is a pool of throwaway domains.
   */
  exclusive_domains: number;
  exclusive_domain_share: number;
}

/**
 * How members behave minute by minute (World.activity, template links, day cells' tokens); formulas in
 * src/score/behaviour.ts and docs/risk-model.md. Every measure is null when no member has minute-level activity
 * (an export whose exchanges are dates or hourly buckets) or when there is too little of it to measure.
 */
export interface ClusterBehaviour {
  /** Members with minute-level activity, and their distinct active minutes. */
  active_members: number;
  active_minutes: number;
  /** Members with exchanges on a request template, those exchanges, and the distinct templates. */
  templated_members: number;
  templated_exchanges: number;
  templates: number;
  /** Share of the templated exchanges on the cluster's top DEFAULTS.behaviour.topTemplates templates. */
  top_template_share: number | null;
  /** Members with ≥ DEFAULTS.behaviour.minGapsPerAccount gaps between active minutes on the same day. */
  rhythm_members: number;
  /** Median over those members of the coefficient of variation of their gaps (0 = a fixed rate; people ≥ 1). */
  interarrival_cv: number | null;
  /** Members' sessions (runs of active minutes with gaps ≤ DEFAULTS.behaviour.sessionGapMinutes). */
  sessions: number;
  /** Pairs (a session starting 0 … DEFAULTS.behaviour.handoffMinutes minutes after another member's working session — 2+ active minutes — ended, when its next call was due), per session. */
  handoffs_per_session: number | null;
  /** The same count with the lag moved to the windows just after (the null model), per session. */
  expected_handoffs_per_session: number | null;
  /** Share of members' active minutes in each member's own quietest DEFAULTS.behaviour.quietHours consecutive UTC hours. */
  quiet_hours_share: number | null;
  /** Member day cells (account, day, capability) with exchanges and output tokens. */
  token_cells: number;
  /** Estimated coefficient of variation of output tokens per exchange across those cells. */
  output_token_cv: number | null;
}

export interface ClusterProfile {
  cluster_id: string;
  /** Index into the Partition's clusters (its deterministic order). */
  partition_index: number;
  accounts: number;
  registered_accounts: number;
  unregistered_accounts: number;
  core_accounts: number;
  subclusters: number;
  identifiers: Record<IdentifierKind, number>;
  /** Member–identifier links, all kinds. */
  links: number;
  top_identifiers: TopIdentifier[];
  risk: number;
  tier: RiskTier;
  reasons: Reason[];
  exchanges: number;
  input_tokens: number;
  output_tokens: number;
  exchanges_per_account: number;
  /** Exchanges per calendar day over the active window. */
  exchanges_per_day: number;
  /** Exchanges per member-active-day (intensity of one account on a day it is used). */
  exchanges_per_account_day: number;
  share_of_platform_exchanges: number;
  /** Capability → share of the cluster's exchanges (sums to 1 when the cluster has exchanges). */
  capability_mix: Record<string, number>;
  /** Capability → cluster share / baseline share (null when the baseline never uses it). */
  capability_lift: Record<string, number | null>;
  /** Total variation distance between the cluster's mix and the baseline's (0 same, 1 disjoint). */
  capability_distance: number;
  /**
   * The distance a random group of ordinary accounts as busy as the members would show by chance alone:
   * ½ Σ_c √(2/π) · sd_c / √n_eff (the mean absolute deviation of an average of n_eff independent mixes), with
   * n_eff = (Σ w)² / Σ w² over the members' exchanges. Capability targeting counts only the distance beyond twice it.
   * Absent in sweeps saved before it.
   */
  capability_chance_distance?: number;
  /** Kish's effective number of members behind the mix (absent in sweeps saved before it). */
  effective_members?: number;
  time: ClusterTime;
  payment: ClusterPayment;
  network: ClusterNetwork;
  behaviour: ClusterBehaviour;
  /** Exchanges per day from active_first_day, one entry per calendar day. */
  daily_exchanges: number[];
}

/** The platform baseline: what ordinary accounts look like, for comparison. */
export interface Baseline {
  /** Which accounts it describes, in words (e.g. "accounts outside high/medium-risk clusters"). */
  definition: string;
  accounts: number;
  exchanges: number;
  capability_mix: Record<string, number>;
  /**
   * Capability → the spread (exchange-weighted standard deviation) of one ordinary account's share of it: people
   * specialise, so a handful of accounts' mix strays from the platform's by chance. Absent in sweeps saved before it.
   */
  capability_account_sd?: Record<string, number>;
  /** Platform-wide (all accounts): account–instrument links per instrument. */
  accounts_per_instrument: number;
  prepaid_virtual_share: number;
  proxy_share: number;
  exchanges_per_account_day: number;
  /** Platform-wide daily exchanges from first_day, for the volume-over-time chart. */
  first_day: string | null;
  daily_exchanges: number[];
  behaviour: BaselineBehaviour;
}

/** The baseline's behaviour figures: the same measures as ClusterBehaviour, over ordinary accounts with minute-level activity. */
export interface BaselineBehaviour {
  /** Baseline accounts with minute-level activity: what the figures below describe (0: all null). */
  accounts: number;
  /** Share of their templated exchanges on the platform's top DEFAULTS.behaviour.topTemplates templates. */
  top_template_share: number | null;
  /** Median over those accounts (with enough gaps) of the inter-arrival coefficient of variation. */
  interarrival_cv: number | null;
  quiet_hours_share: number | null;
  /** Median over those accounts (with ≥ DEFAULTS.behaviour.minTokenCellsPerAccount cells) of one account's output-token CV. */
  output_token_cv: number | null;
}
