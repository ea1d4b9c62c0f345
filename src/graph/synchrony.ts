/**
 * Synchrony: accounts that act on the same template in the same short window, again and again, beyond what
 * busy hours explain — the loose synchronisation of SynchroTrap (Cao, Yang, Yu & Palow, CCS 2014,
 * doi:10.1145/2660267.2660269), measured without materialising account pairs.
 *
 * For each template t and window w (windowMinutes wide), n(t, w) is the number of distinct accounts active on t
 * in w. The null model is the same template's ordinary activity shifted in time: λ(t, w) is the mean of n(t, w')
 * over the windows 2 … nullRadius away on either side (the neighbours ±1 are left out, so a round that straddles a
 * window boundary does not raise its own baseline), leaving out windows already found to be spikes (spikeRuns:
 * another dispatcher's rounds are not the template's ordinary traffic). A window is a *spike* when
 *
 *     n(t, w) ≥ minAccounts   and   P(Poisson(λ) ≥ n) ≤ spikeProbability
 *
 * — many accounts in one window and few minutes before and after: an operator's dispatcher firing a round.
 * Busy hours are not spikes (the neighbours are as busy), nor is a public event's burst (it lasts hours), nor is
 * an always-on load (every window is alike). An account with k active windows on t, s of them spikes, is *in
 * step* on t when
 *
 *     s ≥ spikeShare · k,   s falls on ≥ minDays distinct UTC days,   and
 *     k · KL(s/k ‖ p_t) ≥ ln(N_t / stepProbability)   with s/k > p_t,
 *
 * where p_t is the share of the windows of t's span (its first to its last active window) that are spikes: the
 * chance that a window an account picks without regard to the dispatcher is one (the Chernoff bound on the
 * binomial tail), and N_t is the number of accounts active on t: each is tested, so the chance that any of them
 * is in step by chance stays below stepProbability (Bonferroni). On a public template that a busy dispatcher shares, spikes are common and a person with a
 * handful of windows hits several by chance; only an account whose windows are spikes far more often than p_t —
 * the dispatcher's own — is in step. On a template only a dispatcher uses, the rounds are spikes and the minutes
 * between them are empty: p_t is the rounds' share of the time, and its accounts are in step.
 *
 * The accounts in step on one template are split into timetables (label propagation over the spike windows they
 * share), shifts of one scheduler joined again (relayShifts); each timetable with two or more accounts becomes
 * one identifier of kind `synchrony` (id `sync:<template>`, `sync:<template>#<k>` when the template has several),
 * linking those accounts: first/last seen = their first and last spike, count = exchanges in spikes, rows =
 * distinct days in step. It then meets the same spread rule and campaign rules as every identifier, in a view of
 * its own ("when").
 *
 * Cost: three stable counting-sort passes over the activity cells that carry a template (by window then template;
 * by template), one linear scan each, and at most four passes over the (template, window) runs to find spikes;
 * typed arrays throughout: O(cells + runs + templates) time and about 16 bytes per cell and 13 per run of working
 * memory. Joining shifts compares the timetables of one template pairwise (144 bins each): O(L² · 144) for L
 * timetables on a template, a few dozen at most in our worlds.
 */
import { emptyIdentifierTable, emptyLinkTable, MS_PER_MINUTE, type Activity, type IdentifierTable, type LinkTable } from '../core/world';

export interface SynchronyOptions {
  /** Width of a co-activity window in minutes. */
  windowMinutes: number;
  /** Windows on either side whose mean is the null model (2 … nullRadius away). */
  nullRadius: number;
  /** Fewest distinct accounts in a spike. */
  minAccounts: number;
  /** Largest Poisson tail probability of a spike under the time-shifted null. */
  spikeProbability: number;
  /** Share of an account's active windows on a template that must be spikes. */
  spikeShare: number;
  /** Largest chance (binomial, Chernoff bound) that any account on a template, acting independently of the spikes, hits as many. */
  stepProbability: number;
  /** Distinct UTC days an account must be in step on. */
  minDays: number;
}

export const SYNCHRONY_DEFAULTS: Readonly<SynchronyOptions> = Object.freeze({
  windowMinutes: 2,
  nullRadius: 15,
  minAccounts: 3,
  spikeProbability: 1e-3,
  spikeShare: 0.5,
  stepProbability: 1e-4,
  minDays: 3,
});

export interface SynchronyResult {
  identifiers: IdentifierTable;
  links: LinkTable;
  /** (template, window) runs with activity, and how many were spikes. */
  windows: number;
  spikes: number;
}

export function measureSynchrony(
  activity: Activity,
  templateIds: readonly string[],
  options: SynchronyOptions = SYNCHRONY_DEFAULTS,
): SynchronyResult {
  const { windowMinutes, nullRadius } = options;
  // Cells that carry a template in (template, account, minute) order: a stable pass by template over the table's
  // (account, minute) order. The cell list itself is not kept: at 54M cells each such array is 218 MB.
  let templated = 0;
  for (let c = 0; c < activity.cells; c++) if (activity.template[c] >= 0) templated++;
  const empty = emptyResult();
  if (templated === 0) return empty;
  const byTemplate = templatedCellsByTemplate(activity, templated, templateIds.length);

  let minWindow = Infinity;
  let maxWindow = -Infinity;
  for (let i = 0; i < templated; i++) {
    const w = Math.floor(activity.minute[byTemplate[i]] / windowMinutes);
    if (w < minWindow) minWindow = w;
    if (w > maxWindow) maxWindow = w;
  }
  const windowRange = maxWindow - minWindow + 1;
  const windowOf = (c: number) => Math.floor(activity.minute[c] / windowMinutes) - minWindow;
  // Windows more than 2^24 apart (dates years apart) are not counted by a counting sort; such an export has no
  // minute-level synchrony worth measuring across that span anyway.
  if (windowRange > 1 << 24) return empty;

  // (template, window, account, minute) order: stable passes by window, then by template, from (template, account,
  // minute) order — the same order the passes give from (account, minute) order; the window pass is dropped at once.
  const byTemplateWindow = countingOrder(countingOrder(byTemplate, (c) => windowOf(c), windowRange), (c) => activity.template[c], templateIds.length);

  // Runs of one (template, window): distinct accounts, and which runs are spikes. Counted first, then stored in
  // typed arrays of their exact size (15.5M runs at 1M accounts: plain arrays took twice the bytes and grew by copying).
  let runs = 0;
  for (let i = 0; i < templated; i++) {
    const c = byTemplateWindow[i];
    if (i === 0) runs++;
    else {
      const p = byTemplateWindow[i - 1];
      if (activity.template[c] !== activity.template[p] || windowOf(c) !== windowOf(p)) runs++;
    }
  }
  const runStart = new Int32Array(runs + 1);
  const runAccounts = new Int32Array(runs);
  for (let i = 0, r = 0; i < templated; r++) {
    const c0 = byTemplateWindow[i];
    const t = activity.template[c0];
    const w = windowOf(c0);
    runStart[r] = i;
    let accounts = 0;
    let previous = -1;
    for (; i < templated; i++) {
      const c = byTemplateWindow[i];
      if (activity.template[c] !== t || windowOf(c) !== w) break;
      if (activity.account[c] !== previous) accounts++;
      previous = activity.account[c];
    }
    runAccounts[r] = accounts;
  }
  runStart[runs] = templated;
  const templateFirstRun = new Int32Array(templateIds.length).fill(runs);
  for (let r = runs - 1; r >= 0; r--) templateFirstRun[activity.template[byTemplateWindow[runStart[r]]]] = r;
  const spike = new Uint8Array(templated); // per position in byTemplateWindow
  const windowsInNull = Math.max(1, Math.min(2 * (nullRadius - 1), windowRange - 3));
  // Each run's template and window, read once (the passes below visit every run several times).
  const runTemplate = new Int32Array(runs);
  const runWindow = new Int32Array(runs);
  for (let r = 0; r < runs; r++) {
    runTemplate[r] = activity.template[byTemplateWindow[runStart[r]]];
    runWindow[r] = windowOf(byTemplateWindow[runStart[r]]);
  }
  const runSpike = spikeRuns(runs, runAccounts, runTemplate, runWindow, windowsInNull, options);
  let spikes = 0;
  // Per template: the windows of its span (first to last active window) and the spikes among them (p_t).
  const spanOf = new Float64Array(templateIds.length);
  const spikesOf = new Float64Array(templateIds.length);
  for (let r = 0; r < runs; r++) {
    const t = runTemplate[r];
    if (r + 1 === runs || runTemplate[r + 1] !== t) spanOf[t] = runWindow[r] - runWindow[templateFirstRun[t]] + 1;
    if (runSpike[r] === 0) continue;
    spikes++;
    spikesOf[t]++;
    for (let i = runStart[r]; i < runStart[r + 1]; i++) spike[i] = 1;
  }

  // Per (template, account): active windows, spike windows, distinct spike days; (template, account, minute)
  // order is a stable pass by template over (account, minute) order.
  const isSpikeCell = new Uint8Array(activity.cells);
  for (let i = 0; i < templated; i++) if (spike[i] === 1) isSpikeCell[byTemplateWindow[i]] = 1;
  // Accounts active on each template: each is tested, so the chance that any of them is in step by chance is held
  // at stepProbability (Bonferroni) — 5,000 people on a public template each with a 10⁻⁴ chance would let one in.
  const accountsOn = new Float64Array(templateIds.length);
  for (let i = 0; i < templated; i++) {
    const c = byTemplate[i];
    if (i === 0 || activity.template[byTemplate[i - 1]] !== activity.template[c] || activity.account[byTemplate[i - 1]] !== activity.account[c]) accountsOn[activity.template[c]]++;
  }
  const linkAccount: number[] = [];
  const linkTemplate: number[] = [];
  const linkFirst: number[] = [];
  const linkLast: number[] = [];
  const linkCount: number[] = [];
  const linkDays: number[] = [];
  for (let i = 0; i < templated; ) {
    const c0 = byTemplate[i];
    const t = activity.template[c0];
    const a = activity.account[c0];
    let windows = 0;
    let spikeWindows = 0;
    let spikeDays = 0;
    let lastWindow = -1;
    let lastSpikeWindow = -1;
    let lastSpikeDay = -1;
    let first = Infinity;
    let last = -Infinity;
    let exchanges = 0;
    for (; i < templated; i++) {
      const c = byTemplate[i];
      if (activity.template[c] !== t || activity.account[c] !== a) break;
      const w = windowOf(c);
      if (w !== lastWindow) windows++;
      lastWindow = w;
      if (isSpikeCell[c] === 0) continue;
      if (w !== lastSpikeWindow) spikeWindows++;
      lastSpikeWindow = w;
      const day = Math.floor(activity.minute[c] / 1440);
      if (day !== lastSpikeDay) spikeDays++;
      lastSpikeDay = day;
      const ms = activity.minute[c] * MS_PER_MINUTE;
      if (ms < first) first = ms;
      if (ms > last) last = ms;
      exchanges += activity.count[c];
    }
    if (spikeDays < options.minDays || spikeWindows < options.spikeShare * windows) continue;
    if (windows * klDivergence(spikeWindows / windows, spikesOf[t] / spanOf[t]) < Math.log(accountsOn[t] / options.stepProbability)) continue;
    linkAccount.push(a);
    linkTemplate.push(t);
    linkFirst.push(first);
    linkLast.push(last);
    linkCount.push(exchanges);
    linkDays.push(spikeDays);
  }

  // The accounts in step on one template may follow more than one timetable (two operators on one public
  // template): split them by the spike windows they share (timetables), one identifier per timetable with two or
  // more accounts; links sorted by account, then identifier.
  const linkIdentifier = new Int32Array(linkAccount.length).fill(-1);
  const ids: string[] = [];
  const byTemplateLink = Array.from(linkAccount.keys()).sort((p, q) => linkTemplate[p] - linkTemplate[q] || linkAccount[p] - linkAccount[q]);
  const localOf = new Int32Array(activity.accountOffsets.length - 1).fill(-1);
  for (let i = 0; i < byTemplateLink.length; ) {
    const t = linkTemplate[byTemplateLink[i]];
    let end = i;
    while (end < byTemplateLink.length && linkTemplate[byTemplateLink[end]] === t) end++;
    const block = byTemplateLink.slice(i, end);
    i = end;
    if (block.length < 2) continue;
    block.forEach((l, local) => (localOf[linkAccount[l]] = local));
    // The template's spike windows in time order: each window's first minute and the in-step accounts acting in it.
    const spikeWindows: SpikeWindows = (visit) => {
      for (let r = templateFirstRun[t]; r < runs && runTemplate[r] === t; r++) {
        if (runSpike[r] === 0) continue;
        visit((runWindow[r] + minWindow) * windowMinutes, (emit) => {
          let previous = -1;
          for (let p = runStart[r]; p < runStart[r + 1]; p++) {
            const local = localOf[activity.account[byTemplateWindow[p]]];
            if (local >= 0 && local !== previous) emit(local);
            previous = local;
          }
        });
      }
    };
    const timetable = relayShifts(timetables(block.length, spikeWindows), spikeWindows, options.minDays);
    const sizes = new Int32Array(block.length);
    for (const label of timetable) sizes[label]++;
    const identifierOfLabel = new Int32Array(block.length).fill(-1);
    const groups = sizes.reduce((n, size) => n + (size >= 2 ? 1 : 0), 0);
    for (let local = 0; local < block.length; local++) {
      const label = timetable[local];
      if (sizes[label] < 2) continue;
      if (identifierOfLabel[label] < 0) identifierOfLabel[label] = ids.push(groups === 1 ? `sync:${templateIds[t]}` : `sync:${templateIds[t]}#${ids.length}`) - 1;
      linkIdentifier[block[local]] = identifierOfLabel[label];
    }
    for (const l of block) localOf[linkAccount[l]] = -1;
  }
  const kept: number[] = [];
  for (let l = 0; l < linkAccount.length; l++) if (linkIdentifier[l] >= 0) kept.push(l);
  kept.sort((p, q) => linkAccount[p] - linkAccount[q] || linkIdentifier[p] - linkIdentifier[q]);
  return {
    identifiers: {
      kind: 'synchrony', size: ids.length, ids, subkind: new Uint8Array(ids.length), asn: new Int32Array(0), asns: [], proxy: new Int8Array(0),
    },
    links: {
      kind: 'synchrony',
      size: kept.length,
      account: Int32Array.from(kept, (l) => linkAccount[l]),
      identifier: Int32Array.from(kept, (l) => linkIdentifier[l]),
      firstSeen: Float64Array.from(kept, (l) => linkFirst[l]),
      lastSeen: Float64Array.from(kept, (l) => linkLast[l]),
      count: Float64Array.from(kept, (l) => linkCount[l]),
      rows: Int32Array.from(kept, (l) => linkDays[l]),
    },
    windows: runs,
    spikes,
  };
}

/**
 * Which (template, window) runs are spikes. λ(t, w) is the mean of n(t, w') over the windows 2 … nullRadius away
 * (empty windows count 0) — leaving out the windows already found to be spikes: another dispatcher's rounds on
 * the same public template are not its ordinary traffic, and counted in the null they hide a smaller dispatcher
 * whose rounds fall between them (a 76-account swarm's rounds of ~20 accounts, beside an 802-account swarm's
 * rounds of ~150 every few windows, met a null of ~30 and none was a spike). So spikes are found in passes, each
 * pass's null without the spikes found so far, until a pass finds none (at most `maxPasses`). Where spikes are
 * half or more of a window's neighbours there is no quiet traffic to measure, and its null keeps them all.
 */
function spikeRuns(
  runs: number,
  runAccounts: Int32Array,
  runTemplate: Int32Array,
  runWindow: Int32Array,
  windowsInNull: number,
  options: SynchronyOptions,
): Uint8Array {
  const runSpike = new Uint8Array(runs);
  const logThreshold = Math.log(options.spikeProbability);
  const radius = options.nullRadius;
  const maxPasses = 4;
  for (let pass = 0; pass < maxPasses; pass++) {
    // Two pointers over the runs of one template (sorted by window): over [w − radius, w + radius], the sum of n
    // over runs not yet spikes, and how many runs are spikes.
    let lo = 0;
    let hi = 0;
    let quietSum = 0;
    let spikesNear = 0;
    let found = 0;
    const next = runSpike.slice();
    for (let r = 0; r < runs; r++) {
      const t = runTemplate[r];
      const w = runWindow[r];
      if (r === 0 || runTemplate[r - 1] !== t) {
        lo = r;
        hi = r;
        quietSum = 0;
        spikesNear = 0;
      }
      while (hi < runs && runTemplate[hi] === t && runWindow[hi] <= w + radius) {
        if (runSpike[hi] === 1) spikesNear++;
        else quietSum += runAccounts[hi];
        hi++;
      }
      while (runWindow[lo] < w - radius) {
        if (runSpike[lo] === 1) spikesNear--;
        else quietSum -= runAccounts[lo];
        lo++;
      }
      if (runSpike[r] === 1) continue;
      const n = runAccounts[r];
      if (n < options.minAccounts) continue;
      // The window itself and its neighbours ±1 are not in its null.
      let nearSum = 0;
      let nearSpikes = 0;
      for (let q = r - 1; q <= r + 1; q++) {
        if (q < 0 || q >= runs || runTemplate[q] !== t || Math.abs(runWindow[q] - w) > 1) continue;
        if (runSpike[q] === 1) nearSpikes++;
        else nearSum += runAccounts[q];
      }
      const excluded = spikesNear - nearSpikes;
      let lambda: number;
      if (excluded * 2 < windowsInNull) lambda = (quietSum - nearSum) / (windowsInNull - excluded);
      else lambda = (quietSum - nearSum + spikeSum(r)) / windowsInNull;
      if (n <= lambda || logPoissonTail(n, lambda) > logThreshold) continue;
      next[r] = 1;
      found++;
    }
    runSpike.set(next);
    if (found === 0) break;
  }
  return runSpike;

  /** Sum of n over the spike runs 2 … radius windows from run r's window (the null when spikes are most of it). */
  function spikeSum(r: number): number {
    const t = runTemplate[r];
    const w = runWindow[r];
    let sum = 0;
    for (let q = r - 1; q >= 0 && runTemplate[q] === t && runWindow[q] >= w - radius; q--) if (runSpike[q] === 1 && runWindow[q] <= w - 2) sum += runAccounts[q];
    for (let q = r + 1; q < runs && runTemplate[q] === t && runWindow[q] <= w + radius; q++) if (runSpike[q] === 1 && runWindow[q] >= w + 2) sum += runAccounts[q];
    return sum;
  }
}

/**
 * Timetables among the accounts in step on one template: label propagation (Raghavan, Albert & Kumara 2007,
 * doi:10.1103/PhysRevE.76.036106) on the bipartite graph of accounts and the spike windows they act in. Each window
 * takes the label most of its accounts hold, each account the label most of its windows hold (ties: the smallest),
 * until nothing changes (at most 30 rounds). One dispatcher's accounts share most of their windows and end with one
 * label; a window where two dispatchers happen to fire together goes to one side and joins nothing. Returns each
 * account's label (an account index).
 */
function timetables(accounts: number, windows: SpikeWindows): Int32Array {
  // Window → accounts, as CSR.
  const windowStart: number[] = [0];
  const windowAccounts: number[] = [];
  windows((_minute, members) => {
    members((local) => windowAccounts.push(local));
    windowStart.push(windowAccounts.length);
  });
  const windowCount = windowStart.length - 1;
  // Account → windows, as CSR.
  const accountStart = new Int32Array(accounts + 1);
  for (const local of windowAccounts) accountStart[local + 1]++;
  for (let a = 0; a < accounts; a++) accountStart[a + 1] += accountStart[a];
  const accountWindows = new Int32Array(windowAccounts.length);
  const cursor = accountStart.slice(0, accounts);
  for (let w = 0; w < windowCount; w++) for (let k = windowStart[w]; k < windowStart[w + 1]; k++) accountWindows[cursor[windowAccounts[k]]++] = w;

  const label = new Int32Array(accounts);
  for (let a = 0; a < accounts; a++) label[a] = a;
  const windowLabel = new Int32Array(windowCount);
  const votes = new Int32Array(accounts);
  const touched: number[] = [];
  const majority = (from: number, to: number, labelOf: (k: number) => number): number => {
    let best = -1;
    for (let k = from; k < to; k++) {
      const l = labelOf(k);
      if (votes[l]++ === 0) touched.push(l);
      if (best < 0 || votes[l] > votes[best] || (votes[l] === votes[best] && l < best)) best = l;
    }
    for (const l of touched) votes[l] = 0;
    touched.length = 0;
    return best;
  };
  for (let round = 0; round < 30; round++) {
    for (let w = 0; w < windowCount; w++) windowLabel[w] = majority(windowStart[w], windowStart[w + 1], (k) => label[windowAccounts[k]]);
    let changed = false;
    for (let a = 0; a < accounts; a++) {
      if (accountStart[a] === accountStart[a + 1]) continue;
      const next = majority(accountStart[a], accountStart[a + 1], (k) => windowLabel[accountWindows[k]]);
      if (next !== label[a]) {
        label[a] = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return label;
}

/** Visits one template's spike windows in time order: the window's first minute, and its in-step accounts (local numbers). */
type SpikeWindows = (visit: (minute: number, members: (emit: (local: number) => void) => void) => void) => void;

/** Time-of-day bins of relayShifts: 10 minutes. */
const RELAY_BIN_MINUTES = 10;
const RELAY_BINS = 1440 / RELAY_BIN_MINUTES;
/** Widest idle run inside one block (30 minutes): a wider one makes two blocks, not one shift. */
const RELAY_MAX_GAP = 3;
/** Bins two shifts may share at a handover (a round of each in the same 10 minutes). */
const RELAY_EDGE = 1;

/**
 * Shifts of one scheduler: timetables that never act together yet hand over to each other. An operator that runs
 * its accounts in shifts (or a relay) splits one dispatcher's day into blocks — one group of accounts works
 * 08:00–20:00, the next 20:00–08:00 — and label propagation, which joins accounts by the windows they share, sees
 * two timetables with no window in common. What ties them is the handover: each timetable works the same block of
 * the day, day after day, and where one block ends the other begins.
 *
 * A timetable's *block*: the 10-minute bins of the UTC day in which it acted in a spike on at least `minDays`
 * distinct days, read as a circular arc — the day minus the longest run of bins it never works — with no idle
 * run inside wider than RELAY_MAX_GAP (30 minutes; a morning and an evening run are two blocks, not a shift). Two
 * timetables are shifts of one scheduler when each one's bins all fall in the other's longest idle run, give or
 * take RELAY_EDGE bin at its edges (they do not work the same time of day), and at most `reach` empty bins lie
 * between where one's block ends and the other's starts, reach being one bin more than the widest gap inside either
 * block (a handover is no wider than one of its own gaps). Two operators on one public template that happen to
 * work different hours leave hours between them; two that work the same hours overlap, and every two timetables of a
 * joined set must be apart, so two same-hour operators that both hand over to a third are not joined through it.
 * Shift partners are joined (union–find) and
 * the returned labels say which timetable each account ends in (one label of its joined set).
 */
function relayShifts(label: Int32Array, windows: SpikeWindows, minDays: number): Int32Array {
  const accounts = label.length;
  const sizes = new Int32Array(accounts);
  for (const l of label) sizes[l]++;
  const labels: number[] = [];
  const slot = new Int32Array(accounts).fill(-1);
  for (let l = 0; l < accounts; l++) if (sizes[l] >= 2) slot[l] = labels.push(l) - 1;
  if (labels.length < 2) return label;
  // Distinct days each timetable acted in a spike in each bin.
  const days = new Int32Array(labels.length * RELAY_BINS);
  const lastDay = new Int32Array(labels.length * RELAY_BINS).fill(-1);
  windows((minute, members) => {
    const day = Math.floor(minute / 1440);
    const bin = Math.floor((((minute % 1440) + 1440) % 1440) / RELAY_BIN_MINUTES);
    members((local) => {
      const s = slot[label[local]];
      if (s < 0) return;
      const key = s * RELAY_BINS + bin;
      if (lastDay[key] !== day) {
        lastDay[key] = day;
        days[key]++;
      }
    });
  });
  interface Block { works: Uint8Array; start: number; end: number; widestGap: number }
  const blocks: Array<Block | null> = labels.map((_, s) => {
    const works = new Uint8Array(RELAY_BINS);
    let any = false;
    for (let b = 0; b < RELAY_BINS; b++) if (days[s * RELAY_BINS + b] >= minDays) works[b] = 1, any = true;
    if (!any) return null;
    // Idle runs (circular): the longest is outside the block, the others are gaps inside it.
    let longest = -1;
    let longestEnd = -1;
    let widestGap = 0;
    const first = works.indexOf(1);
    for (let k = 1, run = 0; k <= RELAY_BINS; k++) {
      const b = (first + k) % RELAY_BINS;
      if (works[b] === 0) {
        run++;
        continue;
      }
      if (run > longest) {
        widestGap = Math.max(widestGap, longest);
        longest = run;
        longestEnd = b;
      } else widestGap = Math.max(widestGap, run);
      run = 0;
    }
    // Working every bin leaves nothing to hand over; a gap of more than RELAY_MAX_GAP inside is two blocks (a
    // morning and an evening run), not one shift.
    if (longest <= 0 || widestGap > RELAY_MAX_GAP) return null;
    // The block starts at the first bin after the longest idle run and ends at the last bin before it.
    const start = longestEnd;
    const end = (longestEnd - longest - 1 + RELAY_BINS) % RELAY_BINS;
    return { works, start, end, widestGap };
  });
  // Does b work only in a's longest idle run (the bins after a's block ends and before it starts), give or take
  // RELAY_EDGE bins at either edge (a round of one in the same bin as the other's first or last)?
  const idleFor = (a: Block, b: Block) => {
    const idle = (a.start - a.end - 1 + RELAY_BINS) % RELAY_BINS;
    return b.works.every((w, bin) => {
      const d = (bin - a.end - 1 + RELAY_BINS) % RELAY_BINS;
      return w === 0 || d < idle + RELAY_EDGE || d >= RELAY_BINS - RELAY_EDGE;
    });
  };
  // At most `reach` empty bins between from's last bin and to's first — reach being one more than the widest gap
  // inside either block — or an overlap of at most RELAY_EDGE bins.
  const handsOver = (from: Block, to: Block) => {
    const reach = 1 + Math.max(from.widestGap, to.widestGap);
    const gap = (to.start - from.end - 1 + RELAY_BINS) % RELAY_BINS;
    return gap <= reach || gap >= RELAY_BINS - RELAY_EDGE;
  };
  // A joined set's timetables must pairwise not work the same time of day: two operators on the same hours that
  // each hand over to a third are not one scheduler, and are not joined through it.
  const parent = labels.map((_, s) => s);
  const find = (s: number): number => (parent[s] === s ? s : (parent[s] = find(parent[s])));
  const setOf = labels.map((_, s) => [s]);
  const apart = (s: number, q: number) => idleFor(blocks[s] as Block, blocks[q] as Block) && idleFor(blocks[q] as Block, blocks[s] as Block);
  for (let s = 0; s < labels.length; s++) {
    for (let q = s + 1; q < labels.length; q++) {
      const a = blocks[s];
      const b = blocks[q];
      if (!a || !b || !apart(s, q) || !(handsOver(a, b) || handsOver(b, a))) continue;
      const rs = find(s);
      const rq = find(q);
      if (rs === rq || !setOf[rs].every((x) => setOf[rq].every((y) => apart(x, y)))) continue;
      parent[rq] = rs;
      setOf[rs].push(...setOf[rq]);
    }
  }
  const out = new Int32Array(accounts);
  for (let local = 0; local < accounts; local++) {
    const s = slot[label[local]];
    out[local] = s < 0 ? label[local] : labels[find(s)];
  }
  return out;
}

/** The cells that carry a template, stably ordered by template (so (template, account, minute) order). */
function templatedCellsByTemplate(activity: Activity, templated: number, templateCount: number): Int32Array {
  const cells = new Int32Array(templated);
  for (let c = 0, i = 0; c < activity.cells; c++) if (activity.template[c] >= 0) cells[i++] = c;
  return countingOrder(cells, (c) => activity.template[c], templateCount);
}

function emptyResult(): SynchronyResult {
  return { identifiers: emptyIdentifierTable('synchrony'), links: emptyLinkTable('synchrony'), windows: 0, spikes: 0 };
}

/** `items` stably reordered by key(item) ∈ [0, range) (one counting-sort pass). */
function countingOrder(items: Int32Array, key: (item: number) => number, range: number): Int32Array {
  const counts = new Int32Array(range + 1);
  for (let i = 0; i < items.length; i++) counts[key(items[i]) + 1]++;
  for (let k = 0; k < range; k++) counts[k + 1] += counts[k];
  const sorted = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) sorted[counts[key(items[i])]++] = items[i];
  return sorted;
}

/** Kullback–Leibler divergence of Bernoulli(q) from Bernoulli(p); 0 when q ≤ p (no excess to explain). */
export function klDivergence(q: number, p: number): number {
  if (q <= p) return 0;
  if (p <= 0) return Infinity;
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(a / b));
  return term(q, p) + (p >= 1 ? 0 : term(1 - q, 1 - p));
}

/** ln P(X ≥ n) for X ~ Poisson(λ), n > λ: the first term times the geometric bound on the rest. */
export function logPoissonTail(n: number, lambda: number): number {
  if (lambda <= 0) return -Infinity;
  const logFirst = -lambda + n * Math.log(lambda) - logFactorial(n);
  const ratio = lambda / (n + 1);
  return logFirst - Math.log(1 - Math.min(ratio, 0.999999));
}

/** ln n! — exact sum below 30, Stirling's series above (error below 1e-10). */
function logFactorial(n: number): number {
  if (n < 30) {
    let sum = 0;
    for (let k = 2; k <= n; k++) sum += Math.log(k);
    return sum;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
