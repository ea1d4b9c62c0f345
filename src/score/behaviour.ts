/**
 * How a cluster's members behave minute by minute, from World.activity (one cell per account, minute and
 * template), the template links and the day cells' tokens. Per-account figures are computed once per world in one
 * pass over the activity table (measureAccountBehaviour); a cluster's figures read those and its own members'
 * cells once more (sessions for the hand-off count), so all clusters together cost a second pass at most.
 *
 * Formulas (docs/risk-model.md says how each becomes points):
 *   top-template share  = Σ_{t ∈ top k} x_t / Σ_t x_t, x_t = the members' exchanges on template t (k = topTemplates):
 *                         the k-firm concentration ratio of industrial economics, over request templates.
 *   inter-arrival CV    = σ_g / μ_g over an account's gaps g between consecutive distinct active minutes on the same
 *                         UTC day (population moments; with at least minGapsPerAccount gaps). 0 for a fixed rate,
 *                         1 for a Poisson process, above 1 for bursts; Goh–Barabási burstiness is B = (CV − 1)/(CV + 1)
 *                         (Goh & Barabási 2008, EPL 81:48002, doi:10.1209/0295-5075/81/48002). A cluster's figure is
 *                         the median over its members.
 *   hand-offs           = a session is a maximal run of an account's active minutes with gaps ≤ sessionGapMinutes; a
 *                         working session (two or more active minutes) ends one mean gap after its last minute (when
 *                         its next call was due; a lone call does not stop anything). With w = handoffMinutes + 1 and
 *                         N(j) = pairs (session start of one member, working-session end of another) with
 *                         start − end in [j·w, j·w + w − 1]:
 *                           handoffs per session          = N(0) / sessions
 *                           expected handoffs per session = mean_{j = 1..J} N(j) / sessions, J = ⌊(sessionGapMinutes + 1) / w⌋ − 1
 *                         The null is the same sessions with the lag moved to the next few windows: a cross-correlogram
 *                         peak read against its own flanks (the jitter idea of Amarasingham, Harrison, Hatsopoulos &
 *                         Geman 2012, J Neurophysiol 107:517, doi:10.1152/jn.00633.2011). Shared schedules and day
 *                         rhythms are smooth over a quarter of an hour; one account taking over as another stops is not.
 *                         (J + 1)·w ≤ sessionGapMinutes + 1 keeps a member's own sessions out of every window except its
 *                         previous session's end, which is subtracted. Same-minute calls of members who each call once
 *                         (a dispatcher's round) are synchrony, not a hand-off: lone calls have no end to count.
 *   quiet-hours share   = Σ_m q_m / Σ_m n_m, n_m = member m's active minutes, q_m = those in m's own quietest
 *                         quietHours consecutive UTC hours (circular): ~0 for anyone who sleeps, whatever the time zone;
 *                         quietHours / 24 for a flat, round-the-clock account.
 *   output-token CV     = σ / μ of output tokens per exchange within a capability, from day cells i (one capability
 *                         each) with n_i exchanges and T_i output tokens, x_i = T_i / n_i: per capability c,
 *                         μ_c = Σ T_i / Σ n_i and S_c = Σ_{i ∈ c} n_i (x_i − μ_c)²; pooled over the C capabilities
 *                         of the k cells, CV² = Σ_c (S_c / μ_c²) / (k − C). This is one-way ANOVA's between-cell mean
 *                         square in relative units: it estimates the per-exchange variance whatever the n_i when
 *                         exchanges are alike, and more when cells (days, accounts) differ. Accumulated with West's
 *                         weighted update (West 1979, CACM 22(9):532, doi:10.1145/359146.359153).
 */
import type { World } from '../core/world';
import type { BaselineBehaviour, ClusterBehaviour } from './types';
import type { WorldIndex } from './world-index';

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;
/** A cluster whose time span (in minutes) is at most this many times its members' active minutes counts hand-offs per minute. */
const DENSE_SPAN_PER_MINUTE = 4;

export interface BehaviourOptions {
  /** k of the top-template share. */
  topTemplates: number;
  /** An account's inter-arrival CV needs at least this many same-day gaps. */
  minGapsPerAccount: number;
  /** A pause longer than this ends a session. */
  sessionGapMinutes: number;
  /** A session starting 0 … handoffMinutes after another member's working session stops is a hand-off. */
  handoffMinutes: number;
  /** Width of the quiet window, in hours. */
  quietHours: number;
  /** An account's own output-token CV (the baseline's) needs at least this many day cells with tokens. */
  minTokenCellsPerAccount: number;
}

/** Per-account figures (typed arrays indexed by account) and scratch space reused across clusters. */
export interface AccountBehaviour {
  options: BehaviourOptions;
  /** Distinct active minutes (0: no minute-level activity). */
  activeMinutes: Int32Array;
  /** Active minutes in the account's own quietest options.quietHours consecutive UTC hours. */
  quietMinutes: Int32Array;
  /** Inter-arrival CV; NaN with fewer than options.minGapsPerAccount same-day gaps. */
  gapCv: Float64Array;
  /** Output-token CV from the account's day cells; NaN without minute-level activity or with too few cells. */
  outputTokenCv: Float64Array;
  scratch: Scratch;
}

interface Scratch {
  /** Per template: the cluster's exchanges on it (all zero between uses). */
  templateExchanges: Float64Array;
  /** Members' inter-arrival CVs, for the median. */
  values: Float64Array;
  /** A sparse cluster's session starts and ends. */
  starts: Float64Array;
  stops: Float64Array;
  /** A dense cluster's session starts per minute of its span, and its ends per minute, cumulated. */
  startsAt: Int32Array;
  endsAt: Int32Array;
}

/**
 * Output tokens per exchange over day cells added one range at a time, spread measured within each capability (a
 * coding answer and a chat reply differ in length for everyone) and pooled in relative terms.
 */
class TokenSpread {
  cells = 0;
  private readonly perCapability: Float64Array;
  private readonly weight: Float64Array;
  private readonly mean: Float64Array;
  private readonly sumSquares: Float64Array;

  constructor(capabilities: number) {
    this.perCapability = new Float64Array(capabilities);
    this.weight = new Float64Array(capabilities);
    this.mean = new Float64Array(capabilities);
    this.sumSquares = new Float64Array(capabilities);
  }

  addCells(world: World, from: number, to: number): void {
    const { count, outputTokens, capability } = world.exchanges;
    for (let c = from; c < to; c++) {
      const n = count[c];
      const tokens = outputTokens[c];
      if (!(n > 0) || !(tokens > 0)) continue;
      const k = capability[c];
      const perExchange = tokens / n;
      this.cells++;
      this.perCapability[k]++;
      this.weight[k] += n;
      const delta = perExchange - this.mean[k];
      this.mean[k] += (n / this.weight[k]) * delta;
      this.sumSquares[k] += n * delta * (perExchange - this.mean[k]);
    }
  }

  /** √(Σ_c S_c / μ_c² ÷ (k − C)), NaN without a degree of freedom. */
  cv(): number {
    let relative = 0;
    let freedom = 0;
    for (let k = 0; k < this.perCapability.length; k++) {
      if (this.perCapability[k] === 0) continue;
      freedom += this.perCapability[k] - 1;
      relative += this.sumSquares[k] / (this.mean[k] * this.mean[k]);
    }
    return freedom > 0 ? Math.sqrt(Math.max(0, relative / freedom)) : NaN;
  }

  reset(): void {
    this.cells = 0;
    this.perCapability.fill(0);
    this.weight.fill(0);
    this.mean.fill(0);
    this.sumSquares.fill(0);
  }
}

/** J, the hand-off null model's windows: as many as fit after the hand-off window within a session gap. */
export function handoffNullWindows(options: BehaviourOptions): number {
  return Math.floor((options.sessionGapMinutes + 1) / (options.handoffMinutes + 1)) - 1;
}

/** One pass over World.activity (and the day cells of accounts that have activity). */
export function measureAccountBehaviour(world: World, options: BehaviourOptions): AccountBehaviour {
  if (handoffNullWindows(options) < 1) {
    throw new Error(
      `behaviour: sessionGapMinutes ${options.sessionGapMinutes} leaves no null window after a hand-off window of ` +
        `${options.handoffMinutes + 1} minutes (it must be at least ${2 * (options.handoffMinutes + 1) - 1})`,
    );
  }
  const size = world.accounts.size;
  const { activity, exchanges } = world;
  const activeMinutes = new Int32Array(size);
  const quietMinutes = new Int32Array(size);
  const gapCv = new Float64Array(size).fill(NaN);
  const outputTokenCv = new Float64Array(size).fill(NaN);
  const hours = new Int32Array(HOURS_PER_DAY);
  const spread = new TokenSpread(exchanges.capabilities.length);
  for (let a = 0; a < size; a++) {
    const end = activity.accountOffsets[a + 1];
    if (end === activity.accountOffsets[a]) continue;
    hours.fill(0);
    let previous = NaN;
    let minutes = 0;
    let gaps = 0;
    let gapSum = 0;
    let gapSquares = 0;
    for (let c = activity.accountOffsets[a]; c < end; c++) {
      const minute = activity.minute[c];
      if (minute === previous) continue; // another template in the same minute
      minutes++;
      hours[Math.floor(minuteOfDay(minute) / MINUTES_PER_HOUR)]++;
      if (Math.floor(minute / MINUTES_PER_DAY) === Math.floor(previous / MINUTES_PER_DAY)) {
        const gap = minute - previous;
        gaps++;
        gapSum += gap;
        gapSquares += gap * gap;
      }
      previous = minute;
    }
    activeMinutes[a] = minutes;
    quietMinutes[a] = quietest(hours, options.quietHours);
    if (gaps >= options.minGapsPerAccount) {
      const mean = gapSum / gaps;
      gapCv[a] = Math.sqrt(Math.max(0, gapSquares / gaps - mean * mean)) / mean;
    }
    spread.reset();
    spread.addCells(world, exchanges.accountOffsets[a], exchanges.accountOffsets[a + 1]);
    if (spread.cells >= options.minTokenCellsPerAccount) outputTokenCv[a] = spread.cv();
  }
  return {
    options,
    activeMinutes,
    quietMinutes,
    gapCv,
    outputTokenCv,
    scratch: {
      templateExchanges: new Float64Array(world.identifiers.template.size),
      values: new Float64Array(0),
      starts: new Float64Array(0),
      stops: new Float64Array(0),
      startsAt: new Int32Array(0),
      endsAt: new Int32Array(0),
    },
  };
}

export function measureClusterBehaviour(index: WorldIndex, members: Int32Array): ClusterBehaviour {
  const { world, behaviour } = index;
  const { activeMinutes, quietMinutes, gapCv, scratch } = behaviour;
  let activeMembers = 0;
  let minutes = 0;
  let quiet = 0;
  let rhythmMembers = 0;
  if (scratch.values.length < members.length) scratch.values = new Float64Array(members.length);
  const cvs = scratch.values;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    if (activeMinutes[a] === 0) continue;
    activeMembers++;
    minutes += activeMinutes[a];
    quiet += quietMinutes[a];
    if (!Number.isNaN(gapCv[a])) cvs[rhythmMembers++] = gapCv[a];
  }
  if (activeMembers === 0) {
    return {
      active_members: 0, active_minutes: 0, templated_members: 0, templated_exchanges: 0, templates: 0, top_template_share: null,
      rhythm_members: 0, interarrival_cv: null, sessions: 0, handoffs_per_session: null, expected_handoffs_per_session: null,
      quiet_hours_share: null, token_cells: 0, output_token_cv: null,
    };
  }
  const templates = measureTemplates(index, members);
  const handoffs = measureHandoffs(index, members);
  const spread = new TokenSpread(world.exchanges.capabilities.length);
  const offsets = world.exchanges.accountOffsets;
  for (let m = 0; m < members.length; m++) spread.addCells(world, offsets[members[m]], offsets[members[m] + 1]);
  const tokenCv = spread.cv();
  return {
    active_members: activeMembers,
    active_minutes: minutes,
    templated_members: templates.members,
    templated_exchanges: templates.exchanges,
    templates: templates.distinct,
    top_template_share: templates.exchanges > 0 ? templates.top / templates.exchanges : null,
    rhythm_members: rhythmMembers,
    interarrival_cv: rhythmMembers > 0 ? median(cvs.subarray(0, rhythmMembers)) : null,
    sessions: handoffs.sessions,
    handoffs_per_session: handoffs.measured ? handoffs.observed / handoffs.sessions : null,
    expected_handoffs_per_session: handoffs.measured ? handoffs.expected / handoffs.sessions : null,
    quiet_hours_share: minutes > 0 ? quiet / minutes : null,
    token_cells: spread.cells,
    output_token_cv: Number.isNaN(tokenCv) ? null : tokenCv,
  };
}

/** The same figures over the accounts not excluded that have minute-level activity (the platform's ordinary accounts). */
export function measureBaselineBehaviour(index: WorldIndex, excluded: Uint8Array): BaselineBehaviour {
  const { world, behaviour } = index;
  const { activeMinutes, quietMinutes, gapCv, outputTokenCv } = behaviour;
  const size = world.accounts.size;
  let accounts = 0;
  for (let a = 0; a < size; a++) if (!excluded[a] && activeMinutes[a] > 0) accounts++;
  if (accounts === 0) return { accounts: 0, top_template_share: null, interarrival_cv: null, quiet_hours_share: null, output_token_cv: null };

  const cvs = new Float64Array(accounts);
  const tokenCvs = new Float64Array(accounts);
  const templateExchanges = new Float64Array(world.identifiers.template.size);
  const templateOffsets = index.linkOffsets.template;
  const links = world.links.template;
  let withCv = 0;
  let withTokenCv = 0;
  let minutes = 0;
  let quiet = 0;
  let templated = 0;
  for (let a = 0; a < size; a++) {
    if (excluded[a] || activeMinutes[a] === 0) continue;
    minutes += activeMinutes[a];
    quiet += quietMinutes[a];
    if (!Number.isNaN(gapCv[a])) cvs[withCv++] = gapCv[a];
    if (!Number.isNaN(outputTokenCv[a])) tokenCvs[withTokenCv++] = outputTokenCv[a];
    for (let l = templateOffsets[a]; l < templateOffsets[a + 1]; l++) {
      templateExchanges[links.identifier[l]] += links.count[l];
      templated += links.count[l];
    }
  }
  const top = new Float64Array(behaviour.options.topTemplates);
  for (let t = 0; t < templateExchanges.length; t++) insertTop(top, templateExchanges[t]);
  return {
    accounts,
    top_template_share: templated > 0 ? sum(top) / templated : null,
    interarrival_cv: withCv > 0 ? median(cvs.subarray(0, withCv)) : null,
    quiet_hours_share: quiet / minutes,
    output_token_cv: withTokenCv > 0 ? median(tokenCvs.subarray(0, withTokenCv)) : null,
  };
}

/** Members' exchanges per template (from the template links), the distinct templates, and the top-k total. */
function measureTemplates(index: WorldIndex, members: Int32Array): { members: number; exchanges: number; distinct: number; top: number } {
  const offsets = index.linkOffsets.template;
  const { identifier, count } = index.world.links.template;
  const perTemplate = index.behaviour.scratch.templateExchanges;
  let templatedMembers = 0;
  let exchanges = 0;
  let distinct = 0;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    let any = false;
    for (let l = offsets[a]; l < offsets[a + 1]; l++) {
      if (!(count[l] > 0)) continue;
      if (perTemplate[identifier[l]] === 0) distinct++;
      perTemplate[identifier[l]] += count[l];
      exchanges += count[l];
      any = true;
    }
    if (any) templatedMembers++;
  }
  // Read each template's total once, at its first link, and clear it for the next cluster.
  const top = new Float64Array(index.behaviour.options.topTemplates);
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    for (let l = offsets[a]; l < offsets[a + 1]; l++) {
      const total = perTemplate[identifier[l]];
      if (total === 0) continue;
      insertTop(top, total);
      perTemplate[identifier[l]] = 0;
    }
  }
  return { members: templatedMembers, exchanges, distinct, top: sum(top) };
}

/**
 * Session starts and working sessions' ends of the cluster's members, then N(j) for the hand-off window (j = 0) and
 * the null windows: every start's count of ends in window j, read through E(x) = ends at or before minute x, less
 * the ends of the start's own member that fall there (summed per window while the sessions are read). A dense cluster (a swarm: its
 * members' active minutes are at least a DENSE_SPAN_PER_MINUTE-th of its time span) keeps starts and ends per
 * minute of its span: one pass over the members' cells, one over the span, no per-session storage. A sparse one
 * sorts its S sessions' starts and ends and moves one pointer per window boundary: O(S log S), S much below the span.
 */
function measureHandoffs(index: WorldIndex, members: Int32Array): { measured: boolean; sessions: number; observed: number; expected: number } {
  const { activity } = index.world;
  const { options, scratch, activeMinutes } = index.behaviour;
  const width = options.handoffMinutes + 1;
  const nullWindows = handoffNullWindows(options);
  const windows = nullWindows + 1;
  let activeMembers = 0;
  let minutes = 0;
  let firstMinute = Infinity;
  let lastMinute = -Infinity;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    const from = activity.accountOffsets[a];
    const to = activity.accountOffsets[a + 1];
    if (to === from) continue;
    activeMembers++;
    minutes += activeMinutes[a];
    firstMinute = Math.min(firstMinute, activity.minute[from]);
    lastMinute = Math.max(lastMinute, activity.minute[to - 1]);
  }
  let sessions = 0;
  const ownEnds = new Float64Array(windows + 1); // slot `windows`: no own end in any window
  const pairs = new Float64Array(windows);
  // atOrBefore[j] = E(start − j·width) for the start(s) being counted: window j holds atOrBefore[j] − atOrBefore[j + 1] ends.
  const atOrBefore = new Int32Array(windows + 1);
  const addPairs = (starting: number): void => {
    for (let j = 0; j < windows; j++) pairs[j] += starting * (atOrBefore[j] - atOrBefore[j + 1]);
  };

  // Every end lies in [firstMinute, lastMinute + sessionGapMinutes].
  const span = lastMinute + options.sessionGapMinutes - firstMinute + 1;
  if (activeMembers >= 2 && span <= DENSE_SPAN_PER_MINUTE * minutes) {
    if (scratch.startsAt.length < span) {
      scratch.startsAt = new Int32Array(span);
      scratch.endsAt = new Int32Array(span);
    }
    const { startsAt, endsAt } = scratch;
    startsAt.fill(0, 0, span);
    endsAt.fill(0, 0, span);
    for (const session = new Sessions(activity, members, options); session.next(); sessions++) {
      startsAt[session.start - firstMinute]++;
      if (session.working) endsAt[session.stop - firstMinute]++;
      ownEnds[session.ownWindow]++;
    }
    for (let x = 1; x < span; x++) endsAt[x] += endsAt[x - 1];
    for (let x = 0; x < span; x++) {
      if (startsAt[x] === 0) continue;
      for (let j = 0; j <= windows; j++) atOrBefore[j] = x - j * width < 0 ? 0 : endsAt[x - j * width];
      addPairs(startsAt[x]);
    }
  } else {
    let ends = 0;
    for (const session = new Sessions(activity, members, options); session.next(); sessions++) {
      if (sessions === scratch.starts.length) {
        const capacity = Math.max(1024, sessions * 2);
        const starts = new Float64Array(capacity);
        const stops = new Float64Array(capacity);
        starts.set(scratch.starts);
        stops.set(scratch.stops);
        scratch.starts = starts;
        scratch.stops = stops;
      }
      scratch.starts[sessions] = session.start;
      if (session.working) scratch.stops[ends++] = session.stop;
      ownEnds[session.ownWindow]++;
    }
    if (activeMembers < 2) return { measured: false, sessions, observed: 0, expected: 0 };
    const starts = scratch.starts.subarray(0, sessions).sort();
    const stops = scratch.stops.subarray(0, ends).sort();
    // The starts ascend, so each pointer only moves forward.
    for (let i = 0; i < sessions; i++) {
      for (let j = 0; j <= windows; j++) {
        const bound = starts[i] - j * width;
        let p = atOrBefore[j];
        while (p < ends && stops[p] <= bound) p++;
        atOrBefore[j] = p;
      }
      addPairs(1);
    }
  }
  let flanks = 0;
  for (let j = 1; j < windows; j++) flanks += pairs[j] - ownEnds[j];
  return { measured: true, sessions, observed: pairs[0] - ownEnds[0], expected: flanks / nullWindows };
}

/**
 * The members' sessions one at a time, in member order then time (a cursor, so the counting loops call nothing
 * per session): its first minute; whether it is working (two or more active minutes: only a working session
 * stops — a lone call merely happens); its end (last minute + the session's mean gap, rounded: when its next call
 * was due); and the null-model window holding the same member's previous working end (`windows`, meaning none,
 * when it is further back or there is none).
 *
 * The previous session is the only earlier one whose end can fall in a window: (J + 1)·w ≤ sessionGapMinutes + 1
 * and each session starts more than sessionGapMinutes after the last minute of the one before.
 */
class Sessions {
  start = 0;
  stop = 0;
  ownWindow = 0;
  working = false;
  private member = 0;
  private cell = 0;
  private end = 0;
  private previousStop = NaN;
  private readonly width: number;
  private readonly windows: number;

  constructor(
    private readonly activity: World['activity'],
    private readonly members: Int32Array,
    private readonly options: BehaviourOptions,
  ) {
    this.width = options.handoffMinutes + 1;
    this.windows = handoffNullWindows(options) + 1;
  }

  next(): boolean {
    const { minute, accountOffsets } = this.activity;
    while (this.cell >= this.end) {
      if (this.member >= this.members.length) return false;
      const a = this.members[this.member++];
      this.cell = accountOffsets[a];
      this.end = accountOffsets[a + 1];
      this.previousStop = NaN;
    }
    const first = minute[this.cell++];
    let last = first;
    let minutes = 1;
    while (this.cell < this.end) {
      const next = minute[this.cell];
      if (next !== last) {
        if (next - last > this.options.sessionGapMinutes) break;
        last = next;
        minutes++;
      }
      this.cell++;
    }
    const stop = minutes > 1 ? last + Math.round((last - first) / (minutes - 1)) : last;
    const ownLag = first - this.previousStop;
    this.start = first;
    this.stop = stop;
    this.ownWindow = ownLag >= 0 && ownLag < this.windows * this.width ? Math.floor(ownLag / this.width) : this.windows;
    this.working = minutes > 1;
    this.previousStop = this.working ? stop : NaN;
    return true;
  }
}

function minuteOfDay(minute: number): number {
  return ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/** Smallest sum over `width` consecutive hours of a 24-hour histogram, wrapping past midnight. */
function quietest(hours: Int32Array, width: number): number {
  let window = 0;
  for (let h = 0; h < width; h++) window += hours[h];
  let least = window;
  for (let h = 1; h < HOURS_PER_DAY; h++) {
    window += hours[(h + width - 1) % HOURS_PER_DAY] - hours[h - 1];
    if (window < least) least = window;
  }
  return least;
}

/** Keeps `top` the largest values seen, descending. */
function insertTop(top: Float64Array, value: number): void {
  if (!(value > top[top.length - 1])) return;
  let i = top.length - 1;
  while (i > 0 && top[i - 1] < value) {
    top[i] = top[i - 1];
    i--;
  }
  top[i] = value;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** Median of a scratch slice (sorted in place). */
function median(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}
