/**
 * Behaviour worlds (--behaviour): every exchange placed in a minute, with the request's template and client.
 *
 * The daily volume model is activity.ts's — the same day probability, weekday factor, Poisson counts per
 * capability and swarm schedule — so exchange volumes do not change. Behaviour decides *when* in the day and
 * *with which scaffold and software*:
 *
 * - People (HumanRhythm) act in sittings. A sitting starts at a local hour drawn from the person's diurnal
 *   profile (evening-heavy consumers, daytime developers, office hours for enterprise teams), moved to UTC by
 *   their time zone; inside it exchanges follow one another after a think time of a minute or a few (agent
 *   runs: often several in one minute). A sitting uses one of the person's templates. On a public event's day
 *   people who follow it are more active, many of them in the hours after the announcement.
 * - Operators (ScheduledRhythm) run a dispatcher: rounds at a fixed rate over the UTC day, each round shifted by
 *   a small jitter that differs from round to round and day to day and is shared by every account on the
 *   dispatcher, each round one job (one of the swarm's templates). An account works a window (all day, its
 *   shift, or its turn in a relay chain) and spreads its day's calls evenly over the window's rounds. So a swarm
 *   account's calls are evenly spaced, and accounts on one dispatcher act in the same minutes on the same
 *   template day after day, on a timetable that no shift of the clock reproduces: the loose synchrony of
 *   SynchroTrap (Cao, Yang, Yu, Palow, CCS 2014, doi:10.1145/2660267.2660269).
 *
 * A row is one run of consecutive exchanges sharing minute, capability, template and client, with its count.
 * Rows outside the window or before the account's creation are not written; the draws are made all the same,
 * so week 2 reproduces week 1's rows. Rows are built from primitives straight into the row string (RowWriter,
 * one per world): no object per row.
 */
import type { ActivityProfile } from './activity';
import { emitActivity } from './activity';
import { TOKENS_PER_EXCHANGE, type Capability } from './catalog';
import type { AccountEmitter } from './emitter';
import type { WorldModel } from './model';
import { Rng, hash32, pickWeighted } from './random';

export const MINUTES_PER_DAY = 1440;
const SECONDS_PER_DAY = 86_400;
const MS_PER_MINUTE = 60_000;

export interface HumanRhythm {
  kind: 'human';
  /** Minutes east of UTC of the person's time zone. */
  utcOffset: number;
  /** Cumulative weights of the 24 local hours a sitting starts in. */
  hours: Float64Array;
  /** Mean exchanges per sitting (at least 1). */
  sittingMean: number;
  /** Chance that the next exchange of a sitting falls in the same minute (agent loops, retries). */
  sameMinute: number;
}

export interface ScheduledRhythm {
  kind: 'scheduled';
  dispatcher: Dispatcher;
  /** The account's work window in minutes of the UTC day: [windowStart, windowStart + windowLength), past midnight wrapping to the same day's start. */
  windowStart: number;
  windowLength: number;
  /** Where in one spacing the account's first call falls, [0, 1): accounts on one dispatcher take different rounds. */
  phase: number;
}

/** An operator's scheduler: fixed-rate rounds with a shared jitter, each round one job (a template). */
export interface Dispatcher {
  roundsPerDay: number;
  /** Second of the UTC day of each round, day-major: day d's rounds are at[d × roundsPerDay …], ascending. */
  at: Int32Array;
  /** Index into the operator's templates of each round's job (same layout as `at`). */
  template: Uint8Array;
}

/** Jitter of a dispatcher round, as a share of the spacing either way; calls leave up to this many seconds after the round. */
const ROUND_JITTER = 0.3;
const CALL_DELAY_SECONDS = 40;

/**
 * A dispatcher over `days` window days. Day d's rounds come from a generator seeded with (dispatcherSeed, d)
 * alone, so a longer window (week 2) keeps every earlier day's rounds.
 */
export function makeDispatcher(dispatcherSeed: number, days: number, roundsPerDay: number, templateWeights: Float64Array): Dispatcher {
  const at = new Int32Array(days * roundsPerDay);
  const template = new Uint8Array(days * roundsPerDay);
  const spacing = SECONDS_PER_DAY / roundsPerDay;
  for (let day = 0; day < days; day++) {
    const rng = new Rng(hash32(dispatcherSeed, day));
    for (let round = 0; round < roundsPerDay; round++) {
      at[day * roundsPerDay + round] = Math.floor((round + 0.5 + (rng.next() - 0.5) * 2 * ROUND_JITTER) * spacing);
      template[day * roundsPerDay + round] = pickWeighted(rng, templateWeights);
    }
  }
  return { roundsPerDay, at, template };
}

/** A class's homework: its members, on class days, in the same hour, on the teacher's template. */
export interface Homework {
  template: string;
  templateRole: string;
  client: string;
  capability: Capability;
  /** Bit w set: class on weekday w (0 = Sunday). */
  weekdays: number;
  /** Minute of the UTC day the class hour starts. */
  startMinute: number;
  attendance: number;
}

/** A public event (a launch, a conference keynote): a day or two when many unrelated people spike. */
export interface PublicEvent {
  /** First window day and how many days. */
  day: number;
  days: number;
  /** Minute of the UTC day of the announcement; followers' sittings cluster in the hours after it. */
  startMinute: number;
  /** The example scaffold everyone tries that day. */
  template: string;
}

export interface BehaviourPlan {
  rhythm: HumanRhythm | ScheduledRhythm;
  /** Template cells (CSV-safe by construction), cumulative weights for people's sittings, truth role of shared ones (null: the account's own). */
  templates: readonly string[];
  templateWeights: Float64Array;
  templateRoles: ReadonlyArray<string | null>;
  /** Client before clientSwitchDay and from it (an upgrade; the same twice when it never changes), with truth roles. */
  clients: readonly [string, string];
  clientSwitchDay: number;
  clientRoles: readonly [string | null, string | null];
  /** Log-space sigma of tokens per exchange: people vary a lot, a harvesting harness hardly at all. */
  tokenSigma: number;
  /** Public events the person follows (bit e: model's event e). */
  events: number;
  homework: Homework | null;
  /** First window minute the account exists in. */
  fromMinute: number;
}

/** On an event day a follower is active with at least this probability, with this many times the usual volume. */
const EVENT_ACTIVE = 0.6;
const EVENT_VOLUME = 2;
/** A follower's sittings that day start within this many minutes after the announcement with this probability, a share of them on the event's template. */
const EVENT_SITTING_SHARE = 0.7;
const EVENT_SPREAD_MINUTES = 360;
const EVENT_TEMPLATE_SHARE = 0.4;

/**
 * The pending row: consecutive exchanges with the same minute, capability, template and client add up;
 * anything else writes it out. One per world, reused for every account.
 */
export class RowWriter {
  private minute = -1;
  private capability = '';
  private template = '';
  private client = '';
  private count = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private slots = 0;
  /** Rows are written only inside [fromMinute, endMinute). */
  fromMinute = 0;
  endMinute = 0;
  /** SLOT bits of the template and client of every row written since start(): what the truth counts. */
  used = 0;

  constructor(private readonly out: AccountEmitter) {}

  start(fromMinute: number, endMinute: number): void {
    this.fromMinute = fromMinute;
    this.endMinute = endMinute;
    this.used = 0;
  }

  /** One exchange; `slots` says which of the plan's templates and clients it used (SLOT bits). */
  add(minute: number, capability: string, template: string, client: string, inputTokens: number, outputTokens: number, slots: number): void {
    if (minute !== this.minute || capability !== this.capability || template !== this.template || client !== this.client) {
      this.flush();
      this.minute = minute;
      this.capability = capability;
      this.template = template;
      this.client = client;
      this.slots = slots;
    }
    this.count++;
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
  }

  flush(): void {
    if (this.count > 0 && this.minute >= this.fromMinute && this.minute < this.endMinute) {
      this.out.exchangeMinute(this.minute, this.capability, this.count, this.inputTokens, this.outputTokens, this.template, this.client);
      this.used |= this.slots;
    }
    this.minute = -1;
    this.count = 0;
    this.inputTokens = 0;
    this.outputTokens = 0;
  }
}

/**
 * Bits naming what a row used, so the truth counts an account on a shared template or client only when one
 * of its written rows carries it: plan template k (k < 8), event e's template, the homework template, plan
 * client k, the homework client.
 */
const SLOT = { template: 0, event: 8, homework: 12, client: 16, homeworkClient: 18 } as const;

/** The account's exchanges: minute rows with template and client when it has a plan, the classic rows otherwise. */
export function emitExchanges(model: WorldModel, rng: Rng, profile: ActivityProfile, plan: BehaviourPlan | null): void {
  if (plan) emitBehaviour(model, rng, profile, plan);
  else emitActivity(rng, profile, model.options.rawExchangeShare, model.out);
}

/** One account's emission: what every step needs, made once per account. */
interface Emission {
  rng: Rng;
  plan: BehaviourPlan;
  profile: ActivityProfile;
  writer: RowWriter;
  events: readonly PublicEvent[];
}

export function emitBehaviour(model: WorldModel, rng: Rng, profile: ActivityProfile, plan: BehaviourPlan): void {
  const { clock } = model;
  const writer = model.rows;
  writer.start(Math.max(0, plan.fromMinute), clock.days * MINUTES_PER_DAY);
  const habits = model.habits!;
  const emission: Emission = { rng, plan, profile, writer, events: habits.events };
  const { capabilities, shares } = profile;
  const counts = new Int32Array(capabilities.length);
  const human = plan.rhythm.kind === 'human' ? plan.rhythm : null;
  for (let day = Math.max(0, profile.firstDay); day <= profile.lastDay; day++) {
    const event = human ? habits.eventOn(day) : -1;
    const follows = event >= 0 && ((plan.events >> event) & 1) === 1 && profile.dayProbability > 0;
    let probability = profile.dayProbability * (profile.weekdayFactor ? profile.weekdayFactor[clock.weekday(day)] : 1);
    if (follows) probability = Math.max(probability, EVENT_ACTIVE);
    if (rng.chance(probability)) {
      const mean = profile.dailyMean * (profile.dayMultiplier ? profile.dayMultiplier[day] : 1) * (follows ? EVENT_VOLUME : 1);
      let total = 0;
      for (let c = 0; c < capabilities.length; c++) total += counts[c] = rng.poisson(mean * shares[c]);
      if (total === 0 && profile.atLeastOne) {
        counts[0] = 1;
        total = 1;
      }
      const clientIndex = day >= plan.clientSwitchDay ? 1 : 0;
      if (human) {
        for (let c = 0; c < capabilities.length; c++) {
          if (counts[c] > 0) sittings(emission, human, day, capabilities[c], counts[c], clientIndex, follows ? event : -1);
        }
      } else if (total > 0) {
        rounds(emission, plan.rhythm as ScheduledRhythm, day, counts, total, clientIndex);
      }
    }
    const homework = plan.homework;
    if (homework && ((homework.weekdays >> clock.weekday(day)) & 1) === 1 && rng.chance(homework.attendance)) {
      classHour(emission, homework, day);
    }
  }
  writer.flush();
  countUsage(model, plan, writer.used);
}

function tokens(rng: Rng, mean: number, sigma: number): number {
  return Math.round(rng.lognormal(mean, sigma));
}

/** Exchanges in one sitting: 1 + a geometric number with mean sittingMean − 1. */
function sittingLength(rng: Rng, mean: number): number {
  if (mean <= 1) return 1;
  return 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / mean));
}

/** Minutes between two exchanges of a sitting: reading and typing, a minute or a few, now and then longer. */
function thinkTime(rng: Rng): number {
  return 1 + Math.floor(rng.lognormal(1, 0.9));
}

/** A person's `count` exchanges of one capability on one day, in sittings; `event` is the public event they follow that day, or -1. */
function sittings(emission: Emission, rhythm: HumanRhythm, day: number, capability: Capability, count: number, clientIndex: number, event: number): void {
  const { rng, plan, profile, writer } = emission;
  const client = plan.clients[clientIndex];
  const clientSlot = 1 << (SLOT.client + clientIndex);
  const inputMean = TOKENS_PER_EXCHANGE[capability][0];
  const outputScaled = TOKENS_PER_EXCHANGE[capability][1] * profile.outputScale;
  let remaining = count;
  while (remaining > 0) {
    const length = Math.min(remaining, sittingLength(rng, rhythm.sittingMean));
    remaining -= length;
    let minute: number;
    let template: string;
    let slots: number;
    if (event >= 0 && rng.chance(EVENT_SITTING_SHARE)) {
      minute = day * MINUTES_PER_DAY + emission.events[event].startMinute + Math.floor(rng.next() * EVENT_SPREAD_MINUTES);
      if (rng.chance(EVENT_TEMPLATE_SHARE)) {
        template = emission.events[event].template;
        slots = 1 << (SLOT.event + event);
      } else {
        const k = pickTemplate(rng, plan);
        template = plan.templates[k];
        slots = 1 << (SLOT.template + k);
      }
    } else {
      const localMinute = pickWeighted(rng, rhythm.hours) * 60 + Math.floor(rng.next() * 60);
      minute = day * MINUTES_PER_DAY + localMinute - rhythm.utcOffset;
      const k = pickTemplate(rng, plan);
      template = plan.templates[k];
      slots = 1 << (SLOT.template + k);
    }
    slots |= clientSlot;
    for (let i = 0; i < length; i++) {
      if (i > 0 && !rng.chance(rhythm.sameMinute)) minute += thinkTime(rng);
      writer.add(minute, capability, template, client, tokens(rng, inputMean, plan.tokenSigma), tokens(rng, outputScaled, plan.tokenSigma), slots);
    }
  }
}

/** The index of a sitting's template among the plan's. */
function pickTemplate(rng: Rng, plan: BehaviourPlan): number {
  return plan.templates.length === 1 ? 0 : pickWeighted(rng, plan.templateWeights);
}

/**
 * An operator account's day: `total` calls spread evenly over the dispatcher rounds in its window, each call
 * leaving up to CALL_DELAY_SECONDS after its round, on the round's template; capabilities drawn without
 * replacement from the day's counts.
 */
function rounds(emission: Emission, rhythm: ScheduledRhythm, day: number, counts: Int32Array, total: number, clientIndex: number): void {
  const { rng, plan, profile, writer } = emission;
  const client = plan.clients[clientIndex];
  const clientSlot = 1 << (SLOT.client + clientIndex);
  const { dispatcher } = rhythm;
  const perDay = dispatcher.roundsPerDay;
  const spacing = SECONDS_PER_DAY / perDay;
  const firstRound = Math.max(0, Math.ceil((rhythm.windowStart * 60) / spacing - 0.5));
  const windowRounds = Math.max(1, Math.min(perDay, Math.round((rhythm.windowLength * 60) / spacing)));
  const base = day * perDay;
  const dayMinute = day * MINUTES_PER_DAY;
  let left = total;
  for (let k = 0; k < total; k++) {
    const round = (firstRound + Math.floor(((k + rhythm.phase) * windowRounds) / total)) % perDay;
    const second = dispatcher.at[base + round] + Math.floor(rng.next() * CALL_DELAY_SECONDS);
    const minute = dayMinute + Math.min(MINUTES_PER_DAY - 1, Math.floor(second / 60));
    let pick = Math.floor(rng.next() * left);
    let c = 0;
    while (pick >= counts[c]) pick -= counts[c++];
    counts[c]--;
    left--;
    const t = dispatcher.template[base + round];
    const capability = profile.capabilities[c];
    const means = TOKENS_PER_EXCHANGE[capability];
    writer.add(
      minute, capability, plan.templates[t], client, tokens(rng, means[0], plan.tokenSigma), tokens(rng, means[1] * profile.outputScale, plan.tokenSigma),
      (1 << (SLOT.template + t)) | clientSlot,
    );
  }
}

const HOMEWORK_SLOTS = (1 << SLOT.homework) | (1 << SLOT.homeworkClient);

/** One class hour: a handful of exchanges on the homework template, starting in the first 40 minutes, a few minutes apart. */
function classHour(emission: Emission, homework: Homework, day: number): void {
  const { rng, profile, writer } = emission;
  const inputMean = TOKENS_PER_EXCHANGE[homework.capability][0];
  const outputScaled = TOKENS_PER_EXCHANGE[homework.capability][1] * profile.outputScale;
  const length = 3 + rng.poisson(5);
  let minute = day * MINUTES_PER_DAY + homework.startMinute + Math.floor(rng.next() * 40);
  for (let i = 0; i < length; i++) {
    if (i > 0) minute += 1 + Math.floor(rng.next() * 3);
    writer.add(minute, homework.capability, homework.template, homework.client, tokens(rng, inputMean, 0.4), tokens(rng, outputScaled, 0.4), HOMEWORK_SLOTS);
  }
}

/** Shared templates and clients the account wrote (SLOT bits of `used`) count towards the truth's identifier degrees. */
function countUsage(model: WorldModel, plan: BehaviourPlan, used: number): void {
  const has = (slot: number): boolean => ((used >>> slot) & 1) === 1;
  plan.templates.forEach((template, k) => {
    const role = plan.templateRoles[k];
    if (role && has(SLOT.template + k)) model.countShared('template', template, role);
  });
  plan.clients.forEach((client, k) => {
    const role = plan.clientRoles[k];
    if (role && has(SLOT.client + k)) model.countShared('client', client, role);
  });
  if (plan.homework) {
    if (has(SLOT.homework)) model.countShared('template', plan.homework.template, plan.homework.templateRole);
    if (has(SLOT.homeworkClient)) model.countShared('client', plan.homework.client, model.habits!.clientRole(plan.homework.client));
  }
  model.habits!.events.forEach((event, e) => {
    if (has(SLOT.event + e)) model.countShared('template', event.template, EVENT_TEMPLATE_ROLE);
  });
}

export const EVENT_TEMPLATE_ROLE = 'public event example template';

/** The window minute of a time (ms since the epoch), rounded up: a plan's fromMinute. */
export function windowMinute(model: WorldModel, ms: number): number {
  return Math.ceil((ms - model.clock.startMs) / MS_PER_MINUTE);
}
