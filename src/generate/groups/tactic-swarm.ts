/**
 * A tactic swarm: the BASE swarm with its plan's tactics applied (src/generate/tactics.ts), each tactic
 * changing one dimension.
 *
 * BASE — the big residential-proxy swarm's way of working, at any size:
 * - sign-up bursts (2–8, three hours each) in the 60 days before the window; 80% throwaway email;
 * - payment: prepaid (60%) or virtual cards, each shared by a handful of accounts (2–25, mean ≈ 8); 20% of
 *   accounts on a card of their own;
 * - exits: 2–4 per account from a private residential proxy pool of ≈ size/6 exits, 70% flagged is_proxy;
 * - fingerprints: 1–2 of k automation fingerprints, k = clamp(size/150, 2, 12); half also a common browser TLS;
 * - activity: every day, software engineering and agentic reasoning, ≈ 25 exchanges per account-day on the
 *   operator's shared schedule, long answers.
 *
 * A swarm with sub-operators is several BASE swarms ("scopes", one per crew: own cards, exits,
 * fingerprints, bursts and schedule) plus one tool fingerprint on every account. Without them the whole
 * swarm is one scope. Per-account choices that structure the swarm (which card, exits, fingerprints,
 * burst) come from stable hashes of (seed, swarm, rank), so week 2 regenerates every account exactly.
 *
 * In a behaviour world every tactic swarm also has operator habits (habits.ts): 1–5 private templates, a
 * client (its own harness or the most popular public SDK), a work pattern drawn from the seed and a
 * dispatcher per crew. perfect-hygiene replaces payment, exits and fingerprints by identifiers of each
 * account's own (a card, a home-ISP line, a device) and sends the public SDK's client; framework-template
 * sends the agent framework's default template and client.
 */
import { COUNTRIES, TACTIC_TOKEN, TOKEN, token } from '../catalog';
import { organicCapabilities } from '../activity';
import { STREAM, type WorldModel } from '../model';
import { IndexPermutation, Rng, hash32, mix32 } from '../random';
import type { TacticName, TacticSwarmPlan } from '../tactics';
import { DAY_MS, STATUS_LEGIT, linkCommonTls, linkFingerprint, linkInstrument, linkIp, type GroupGenerator } from './group';
import { SDK_ROLE, consumerEmail, pickCapability } from './organic';
import { automationFingerprint, harvestingActivity, harvestingMix, operatorHabits, operatorSchedule, stableIndex, swarmStatus, writeSwarmAccount } from './swarms';

const HOUR_MS = 3_600_000;
const OWN_CARD_SHARE = 0.2;
/** Stable-hash purposes (see stableIndex). */
const PURPOSE = { ownCard: 1, card: 2, exit: 3, fingerprint: 4, burst: 5, build: 6 } as const;
/**
 * Fingerprint index ranges inside a swarm's namespace: scope s owns [s × 2^18, (s + 1) × 2^18); perfect-hygiene
 * devices are 2^22 + rank, the sub-operators' tool 2^23.
 */
const FINGERPRINT_RANGE = { perScope: 2 ** 18, builds: 64, rotationDevice: 2 ** 16, rotationTls: 2 ** 17, hygieneDevice: 2 ** 22, tool: 2 ** 23 } as const;
/** Stable-hash and schedule keys of tactic swarm i start here (the classic swarms use 0–3). */
const SWARM_KEY = 16;

/**
 * Consecutive chunks over `count` positions with sizes from `draw` (each within [2, max] when count ≥ 2;
 * a last chunk of one is evened out with the one before): the chunk index of every position.
 */
export function chunkLayout(count: number, draw: () => number): { chunkOf: Int32Array; chunks: number } {
  const sizes: number[] = [];
  for (let total = 0; total < count;) {
    const size = Math.min(draw(), count - total);
    sizes.push(size);
    total += size;
  }
  const last = sizes.length - 1;
  if (last > 0 && sizes[last] === 1) {
    if (sizes[last - 1] >= 3) {
      sizes[last - 1]--;
      sizes[last]++;
    } else {
      sizes[last - 1]++;
      sizes.pop();
    }
  }
  const chunkOf = new Int32Array(count);
  let position = 0;
  sizes.forEach((size, chunk) => {
    chunkOf.fill(chunk, position, position + size);
    position += size;
  });
  return { chunkOf, chunks: sizes.length };
}

/** One crew's share of the swarm: ranks [start, start + size) and the identifiers only it uses. */
interface Scope {
  start: number;
  size: number;
  schedule: Float64Array;
  bursts: number[];
  /** slow-drip: sign-ups spread over this span ending two days before the window ends. */
  dripSpanMs: number;
  /** Shared card index (within the swarm) per scope rank, -1 for an own card (BASE); null otherwise. */
  cardOfRank: Int32Array | null;
  /** mega-card: the scope's first card index and how many. */
  megaFirst: number;
  megaCards: number;
  /** Exits of this scope are pool exits local × scopes + scope (interleaved, so household lines spread over crews). */
  exits: number;
  automation: number;
  builds: number;
  rotation: { device: Int32Array; tls: Int32Array; deviceChunks: number; tlsChunks: number } | null;
}

export function tacticSwarm(model: WorldModel, plan: TacticSwarmPlan): GroupGenerator {
  const { options, clock } = model;
  const { name, size, index } = plan;
  const has = (tactic: TacticName): boolean => plan.tactics.includes(tactic);
  const key = SWARM_KEY + index;
  const namespace = (offset: number): number => TOKEN.tacticSwarm + 4 * index + offset;
  const setup = new Rng(hash32(options.seed, STREAM.tactics, index, 0x5e7));
  /** A stable draw from [0, n) for (purpose, crew s, k): the same in every week. */
  const stable = (purpose: number, s: number, k: number, n: number): number => stableIndex(options.seed, key, purpose * 8 + s, k, n);

  // Crews: 3–6 with sub-operators (sizes in proportion to random weights), else one.
  const scopeCount = has('sub-operators') ? Math.min(size, setup.int(3, 6)) : 1;
  const weights = Array.from({ length: scopeCount }, () => 0.5 + setup.next());
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const starts = [0];
  for (let s = 1; s < scopeCount; s++) starts.push(Math.max(starts[s - 1] + 1, Math.round((size * weights.slice(0, s).reduce((a, b) => a + b, 0)) / weightTotal)));
  starts.push(size);

  const exitNetwork: 'residential' | 'hosting' = has('private-exits') && setup.chance(0.5) ? 'hosting' : 'residential';
  const exitsFor = (scopeSize: number): number =>
    has('private-exits') ? Math.max(2, Math.round(scopeSize / 10)) : has('shared-residential') ? Math.max(4, Math.round(scopeSize / 4)) : Math.max(3, Math.round(scopeSize / 6));

  let cardsSoFar = 0;
  const scopes: Scope[] = [];
  for (let s = 0; s < scopeCount; s++) {
    const scopeSize = starts[s + 1] - starts[s];
    const rng = new Rng(hash32(options.seed, STREAM.tactics, index, 0x5c0, s));
    const burstCount = Math.max(2, Math.min(8, Math.round(scopeSize / 300)));
    const spacing = Math.floor(56 / burstCount);
    const bursts = Array.from({ length: burstCount }, (_, b) => clock.startMs - (60 - b * spacing) * DAY_MS + rng.int(0, 19) * HOUR_MS);
    let cardOfRank: Int32Array | null = null;
    let megaFirst = 0;
    let megaCards = 0;
    if (has('mega-card')) {
      megaCards = Math.min(scopeSize, rng.int(1, 3));
      megaFirst = cardsSoFar;
      cardsSoFar += megaCards;
    } else if (!has('fresh-card') && !has('perfect-hygiene')) {
      cardOfRank = new Int32Array(scopeSize).fill(-1);
      const sharing: number[] = [];
      for (let local = 0; local < scopeSize; local++) {
        if (stable(PURPOSE.ownCard, s, starts[s] + local, 1000) >= OWN_CARD_SHARE * 1000) sharing.push(local);
      }
      const layout = chunkLayout(sharing.length, () => Math.max(2, Math.min(25, Math.round(rng.lognormal(7, 0.6)))));
      sharing.forEach((local, position) => { cardOfRank![local] = cardsSoFar + layout.chunkOf[position]; });
      cardsSoFar += layout.chunks;
    }
    let rotation: Scope['rotation'] = null;
    if (has('fingerprint-rotation')) {
      const handful = (): number => rng.int(2, 6);
      const device = chunkLayout(scopeSize, handful);
      // The TLS layer chunks a shuffled order, so an account's two fingerprints tie it to different accounts.
      const shuffled = new IndexPermutation(scopeSize, hash32(options.seed, STREAM.tactics, index, 0x7e5, s));
      const tlsLayout = chunkLayout(scopeSize, handful);
      const tls = new Int32Array(scopeSize);
      for (let local = 0; local < scopeSize; local++) tls[local] = tlsLayout.chunkOf[shuffled.at(local)];
      rotation = { device: device.chunkOf, tls, deviceChunks: device.chunks, tlsChunks: tlsLayout.chunks };
    }
    scopes.push({
      start: starts[s],
      size: scopeSize,
      schedule: operatorSchedule(options.seed, 1000 + key * 8 + s, clock.days, options.baseDays),
      bursts,
      dripSpanMs: rng.int(90, 270) * DAY_MS,
      cardOfRank,
      megaFirst,
      megaCards,
      exits: exitsFor(scopeSize),
      automation: Math.max(2, Math.min(12, Math.round(scopeSize / 150))),
      builds: rng.int(3, 6),
      rotation,
    });
  }
  const scopeOf = (rank: number): number => {
    let s = 0;
    while (starts[s + 1] <= rank) s++;
    return s;
  };

  // One exit pool per swarm; crews take interleaved exits. shared-residential asks for household lines for half of it.
  const exitsPerScope = Math.max(...scopes.map((scope) => scope.exits));
  const poolSize = exitsPerScope * scopeCount;
  const shared = has('shared-residential');
  const hygiene = has('perfect-hygiene');
  const proxyShare = has('private-exits') ? 0.9 : shared ? 0.5 : 0.7;
  // perfect-hygiene buys each account a line of its own (model.hygieneLine) instead of a pool.
  if (!hygiene) {
    model.addExitPool(index, {
      swarm: name,
      network: exitNetwork,
      size: poolSize,
      proxyShare,
      hostsWanted: shared ? Math.ceil(poolSize / 2) : 0,
      usedByLegitUsers: shared,
    });
  }
  const tool = has('sub-operators') ? token(model.tokenKey, namespace(TACTIC_TOKEN.fingerprint), FINGERPRINT_RANGE.tool, true) : null;
  const fingerprintIndex = (s: number, offset: number): number => s * FINGERPRINT_RANGE.perScope + offset;
  const buildIds = has('client-builds')
    ? scopes.flatMap((scope, s) => Array.from({ length: scope.builds }, (_, b) => token(model.tokenKey, namespace(TACTIC_TOKEN.fingerprint), fingerprintIndex(s, FINGERPRINT_RANGE.builds + b), true)))
    : [];

  const entry = model.tallyFor(name, 'swarm', false, `BASE swarm with ${plan.tactics.join(', ')}`, {
    sub_operators: scopeCount,
    payment: has('fresh-card') || hygiene ? 'a fresh card per account' : has('mega-card') ? 'a few cards on every account' : 'prepaid/virtual cards shared by a handful, 20% own cards',
    cards: hygiene ? size : cardsSoFar,
    exit_network: hygiene ? 'a home-ISP line of its own per account (15% flagged is_proxy)'
      : shared ? 'commercial residential pool shared with households and ordinary proxy users' : exitNetwork === 'hosting' ? 'hosting IPs used only by the swarm' : 'private residential proxy pool',
    exits: hygiene ? size : poolSize,
    exit_proxy_share: hygiene ? 0.15 : proxyShare,
    fingerprints: hygiene ? 'a device fingerprint of its own per account'
      : has('fingerprint-rotation') ? 'rotating device and TLS fingerprints, 2–6 accounts each'
        : has('client-builds') ? 'client builds, one per account'
          : has('sdk-default') ? 'public SDK default fingerprints' : 'automation fingerprints',
    own_fingerprints: hygiene ? size : scopes.reduce((sum, scope) => sum + (scope.rotation ? scope.rotation.deviceChunks + scope.rotation.tlsChunks
      : has('client-builds') ? scope.builds : has('sdk-default') ? 0 : scope.automation), 0),
    ...(buildIds.length > 0 ? { builds: buildIds } : {}),
    ...(tool ? { tool_fingerprint: tool } : {}),
    signup: has('slow-drip') ? 'one by one over 3–9 months' : has('recycled') ? 'recycled accounts created 1–3 years ago' : 'bursts before the window',
    daily_exchanges_per_account: options.swarmDailyExchanges,
  });
  entry.tactics = [...plan.tactics];
  const habits = operatorHabits(model, {
    key,
    name,
    pattern: 'drawn',
    client: has('framework-template') ? 'framework' : hygiene ? 'sdk' : 'drawn',
    templates: has('framework-template') ? 'framework' : 'private',
    dailyExchanges: options.swarmDailyExchanges,
  }, entry.facts);
  const drawMix = (rng: Rng) => (has('mimic-mix') ? organicCapabilities(rng, () => pickCapability(rng)) : harvestingMix(rng));

  const cardRole = `shared card of ${name}`;
  const automationRole = `automation fingerprint of ${name}`;

  return {
    name, kind: 'swarm', legitimate: false, tactic: entry.tactic, baseSize: size, size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'swarm');
      const s = scopeOf(rank);
      const scope = scopes[s];
      const local = rank - scope.start;
      const endMs = clock.endMs;

      // Sign-up and the account row.
      let createdMs: number;
      let lastDay = clock.days - 1;
      if (has('recycled')) {
        // Bought back from suspension: an old, ordinary-looking account; many are caught again before the export.
        createdMs = clock.startMs - (365 + rng.next() * 730) * DAY_MS;
        const suspended = rng.chance(0.45);
        // Caught in the last two weeks of week 1's window (so week 2 keeps the same history).
        if (suspended) lastDay = options.baseDays - 1 - rng.int(0, 14);
        out.account(createdMs, consumerEmail(rng), COUNTRIES[model.pickCountry(rng)].code, suspended ? 'suspended' : STATUS_LEGIT(rng));
      } else {
        createdMs = has('slow-drip')
          ? clock.startMs + (options.baseDays - 2) * DAY_MS - rng.next() * scope.dripSpanMs
          : scope.bursts[stable(PURPOSE.burst, s, rank, scope.bursts.length)] + rng.next() * 3 * HOUR_MS;
        if (hygiene) {
          // Nothing to give it away at sign-up either: a consumer email, the country of its own line.
          out.account(createdMs, consumerEmail(rng), model.hygieneLine(index, rank).country, swarmStatus(rng));
        } else {
          writeSwarmAccount(model, rng, createdMs, 0.8);
        }
      }
      const activeFrom = Math.max(createdMs, clock.startMs);
      const firstDay = Math.ceil((activeFrom - clock.startMs) / DAY_MS);
      const behaviour = habits?.plan(rank, s, activeFrom) ?? null;
      if (hygiene) {
        writeHygieneLinks(model, rng, index, rank, createdMs, activeFrom, endMs);
        harvestingActivity(model, rng, firstDay, lastDay, drawMix(rng), options.swarmDailyExchanges, scope.schedule, behaviour);
        return;
      }

      // Payment.
      if (scope.cardOfRank && scope.cardOfRank[local] >= 0) {
        const card = scope.cardOfRank[local];
        linkInstrument(model, rng, token(model.tokenKey, namespace(TACTIC_TOKEN.sharedCard), card), mix32(card ^ 0x51) % 10 < 6 ? 'prepaid_card' : 'virtual_card', createdMs, endMs, cardRole);
      } else if (scope.megaCards > 0) {
        const first = stable(PURPOSE.card, s, rank, scope.megaCards);
        const cards = scope.megaCards > 1 && rng.chance(0.1) ? [first, (first + 1) % scope.megaCards] : [first];
        for (const card of cards) {
          const id = token(model.tokenKey, namespace(TACTIC_TOKEN.sharedCard), scope.megaFirst + card);
          linkInstrument(model, rng, id, MEGA_CARD_KINDS[(scope.megaFirst + card) % MEGA_CARD_KINDS.length], createdMs, endMs, cardRole);
        }
      } else {
        linkInstrument(model, rng, token(model.tokenKey, namespace(TACTIC_TOKEN.ownCard), rank), rng.pick(OWN_CARD_KINDS), createdMs, endMs, null);
      }

      // Exits: distinct exits of the crew's share of the pool.
      const [fewest, most] = has('private-exits') ? [1, 3] : [2, 4];
      const exitCount = Math.min(scope.exits, rng.int(fewest, most));
      const requestsPerExit = (options.swarmDailyExchanges * options.baseDays * 1.3) / exitCount;
      const used: number[] = [];
      for (let i = 0; i < exitCount; i++) {
        let exit = stable(PURPOSE.exit, s, rank * 8 + i, scope.exits);
        while (used.includes(exit)) exit = (exit + 1) % scope.exits;
        used.push(exit);
        const poolExit = exit * scopeCount + s;
        linkIp(model, rng, model.tacticExit(index, poolExit), activeFrom, endMs, requestsPerExit, 0.3, model.tacticExitRole(index, poolExit));
      }

      // Fingerprints.
      const fingerprintNamespace = namespace(TACTIC_TOKEN.fingerprint);
      if (scope.rotation) {
        const { device, tls } = scope.rotation;
        linkFingerprint(model, rng, token(model.tokenKey, fingerprintNamespace, fingerprintIndex(s, FINGERPRINT_RANGE.rotationDevice + device[local]), true), 'device', activeFrom, endMs, `rotating fingerprint of ${name}`);
        linkFingerprint(model, rng, token(model.tokenKey, fingerprintNamespace, fingerprintIndex(s, FINGERPRINT_RANGE.rotationTls + tls[local]), true), 'tls', activeFrom, endMs, `rotating fingerprint of ${name}`);
      } else {
        if (has('client-builds')) {
          const build = stable(PURPOSE.build, s, rank, scope.builds);
          linkFingerprint(model, rng, token(model.tokenKey, fingerprintNamespace, fingerprintIndex(s, FINGERPRINT_RANGE.builds + build), true), 'other', activeFrom, endMs, `client build of ${name}`);
        } else if (has('sdk-default')) {
          const sdk = model.pickSdkFingerprint(rng);
          linkFingerprint(model, rng, sdk.id, sdk.kind, activeFrom, endMs, SDK_ROLE);
        } else {
          const count = rng.chance(0.3) ? Math.min(2, scope.automation) : 1;
          const first = stable(PURPOSE.fingerprint, s, rank, scope.automation);
          for (let i = 0; i < count; i++) {
            const fingerprint = automationFingerprint(model, fingerprintNamespace, fingerprintIndex(s, (first + i) % scope.automation));
            linkFingerprint(model, rng, fingerprint.id, fingerprint.kind, activeFrom, endMs, automationRole);
          }
        }
        // Half the tooling spoofs a common browser's TLS handshake.
        if (rng.chance(0.5)) linkCommonTls(model, rng, activeFrom, endMs);
      }
      if (tool) linkFingerprint(model, rng, tool, 'tls', activeFrom, endMs, `shared tool of ${name}`);

      harvestingActivity(model, rng, firstDay, lastDay, drawMix(rng), options.swarmDailyExchanges, scope.schedule, behaviour);
    },
  };
}

/**
 * perfect-hygiene: an account's identifiers are its own — a fresh card, its own home-ISP line (15% flagged
 * is_proxy), one device fingerprint — and no common browser TLS, which every account of the swarm would share.
 */
function writeHygieneLinks(model: WorldModel, rng: Rng, index: number, rank: number, createdMs: number, activeFrom: number, endMs: number): void {
  const namespace = TOKEN.tacticSwarm + 4 * index;
  linkInstrument(model, rng, token(model.tokenKey, namespace + TACTIC_TOKEN.ownCard, rank), rng.pick(OWN_CARD_KINDS), createdMs, endMs, null);
  const line = model.hygieneLine(index, rank);
  const requests = model.options.swarmDailyExchanges * model.options.baseDays * 1.3;
  linkIp(model, rng, line, activeFrom, endMs, requests, 0.3, null);
  linkFingerprint(model, rng, token(model.tokenKey, namespace + TACTIC_TOKEN.fingerprint, FINGERPRINT_RANGE.hygieneDevice + rank, true), 'device', activeFrom, endMs, null);
}

const MEGA_CARD_KINDS = ['virtual_card', 'prepaid_card', 'card'];
const OWN_CARD_KINDS = ['prepaid_card', 'prepaid_card', 'virtual_card', 'virtual_card', 'card'];
