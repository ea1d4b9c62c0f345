/**
 * What a behaviour world's people and operators share and how each account behaves: clients (public SDKs, the
 * agent framework, consumer front ends, operators' harnesses), templates (personal scaffolds, the public
 * defaults many unrelated accounts send unchanged, teams' internal scaffolds, homework, operators' private
 * scaffolds), public events and classes. The plan builders here turn an account's traits into a BehaviourPlan
 * (behaviour.ts writes the rows). Everything is a pure function of (seed, slot) or (seed, group), so week 2
 * rebuilds it exactly. docs/generator.md ("Behaviour") describes the population and the swarms.
 */
import {
  AGENT_FRAMEWORK, CONSUMER_CLIENTS, COUNTRIES, HARNESS_NAMES, SDK_CLIENTS, TOKEN, UTC_OFFSETS, clientName, token,
  type Capability, type ClientFamily,
} from './catalog';
import { MINUTES_PER_DAY, makeDispatcher, windowMinute, type BehaviourPlan, type Dispatcher, type Homework, type PublicEvent } from './behaviour';
import { STREAM, type WorldModel } from './model';
import { Rng, cumulativeOf, hash32, mix32, pickWeighted } from './random';

/** Local-hour weights (index = hour) of when sittings start. */
const EVENING = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.5, 1.9, 2.2, 2.4, 2.2, 1.6, 0.9];
const DEVELOPER = [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 1.5, 1.8, 1.8, 1.3, 1.6, 1.8, 1.8, 1.6, 1.3, 1, 1, 1.1, 1, 0.8, 0.5];
const STUDENT = [0.6, 0.4, 0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.6, 0.8, 1, 1, 1, 1.2, 1.4, 1.5, 1.6, 1.6, 1.5, 1.7, 2, 2, 1.8, 1.2];
/** Office hours: nothing before 8 or after 19, a dip at lunch. */
const OFFICE = [0, 0, 0, 0, 0, 0, 0, 0, 0.4, 1.6, 2, 1.9, 0.8, 1.4, 1.9, 1.9, 1.7, 1.2, 0.4, 0, 0, 0, 0, 0];
export const DIURNAL = {
  evening: cumulativeOf(EVENING), developer: cumulativeOf(DEVELOPER), student: cumulativeOf(STUDENT), office: cumulativeOf(OFFICE),
} as const;

export const TEMPLATE_ROLE = {
  sdkDefault: 'public SDK default template',
  consoleDefault: 'web console default template',
  framework: 'agent framework default template',
} as const;
export const CLIENT_ROLE = { sdk: 'public SDK client', framework: 'agent framework client', consumer: 'consumer client' } as const;

/** Sub-purposes of STREAM.habits. */
const HABIT = { events: 1, classes: 2, team: 3, operator: 4, shift: 5, chain: 6, phase: 7, classMembers: 8, dispatcher: 9 } as const;

/** Index ranges inside TOKEN.publicTemplate and TOKEN.groupTemplate (see token()). */
const PUBLIC_TEMPLATE = { sdk: 0, console: 32, framework: 64, event: 128 } as const;
const GROUP_TEMPLATE = { teamBase: 0, perTeam: 8, classBase: 2 ** 16, perClass: 4, operatorBase: 2 ** 20, perOperator: 8 } as const;
/** Personal templates: token index slot × PERSONAL_TEMPLATES + k. */
const PERSONAL_TEMPLATES = 4;

/** Main uses that make someone a developer, who calls the API through an SDK or the agent framework. */
const DEVELOPER_CAPABILITIES = new Set<Capability>(['software_engineering', 'agentic_reasoning', 'data_analysis']);
/** Share of people who build on the agent framework, by main use. */
const FRAMEWORK_SHARE = { agentic: 0.45, developer: 0.2, other: 0.02 } as const;
/** Share of a client's users who send its default scaffold unchanged, and the share of their sittings on it. */
const SDK_DEFAULT_USERS = 0.35;
const SDK_DEFAULT_WEIGHT = 0.3;
const CONSOLE_DEFAULT_USERS = 0.6;
const CONSOLE_DEFAULT_WEIGHT = 0.5;
const FRAMEWORK_DEFAULT_WEIGHT = 0.7;
/** People who upgrade their client during the window (to the newest version, on a day drawn once). */
const UPGRADE_SHARE = 0.15;
/** Each public event is followed by this share of people. */
const EVENT_FOLLOWERS = 0.3;
/** Classes: one per this many accounts (at least one), 20–200 members, in these countries (weights as COUNTRIES). */
const ACCOUNTS_PER_CLASS = 20_000;
const CLASS_COUNTRIES = ['US', 'IN', 'GB', 'DE', 'FR', 'BR', 'CA', 'JP'];
const CLASS_CAPABILITIES: Capability[] = ['math', 'software_engineering', 'data_analysis', 'writing', 'education', 'research'];

export interface ClassPlan {
  name: string;
  country: string;
  size: number;
  homework: Homework;
}

interface ClientChoice { family: ClientFamily; cumulative: Float64Array; role: string }

function choices(families: ReadonlyArray<ClientFamily>, role: string): ClientChoice[] {
  return families.map((family) => ({ family, cumulative: cumulativeOf(family.versionWeights), role }));
}

/**
 * The world-level side of behaviour: public templates and clients, events, classes. Built once per world
 * (WorldModel.habits) when --behaviour is on.
 */
export class PopulationHabits {
  readonly sdk: ClientChoice[];
  private readonly sdkShares: Float64Array;
  readonly consumer: ClientChoice[];
  private readonly consumerShares: Float64Array;
  readonly framework: ClientChoice;
  /** Default templates: one per SDK (in SDK_CLIENTS order), the console's, the framework's. */
  readonly sdkDefaults: string[];
  readonly consoleDefault: string;
  readonly frameworkDefault: string;
  readonly events: PublicEvent[];
  private readonly eventOfDay: Int8Array;
  classes: ClassPlan[] = [];
  /** Per base organic rank: its class, or -1. */
  private classOfRank: Int16Array | null = null;
  private readonly clientRoles = new Map<string, string>();

  constructor(private readonly model: WorldModel) {
    const { tokenKey, options, clock } = model;
    this.sdk = choices(SDK_CLIENTS, CLIENT_ROLE.sdk);
    this.sdkShares = cumulativeOf(SDK_CLIENTS.map((family) => family.share));
    this.consumer = choices(CONSUMER_CLIENTS, CLIENT_ROLE.consumer);
    this.consumerShares = cumulativeOf(CONSUMER_CLIENTS.map((family) => family.share));
    this.framework = choices([AGENT_FRAMEWORK], CLIENT_ROLE.framework)[0];
    for (const choice of [...this.sdk, ...this.consumer, this.framework]) {
      choice.family.versions.forEach((_, v) => this.clientRoles.set(clientName(choice.family, v), choice.role));
    }
    this.sdkDefaults = SDK_CLIENTS.map((_, k) => token(tokenKey, TOKEN.publicTemplate, PUBLIC_TEMPLATE.sdk + k));
    this.consoleDefault = token(tokenKey, TOKEN.publicTemplate, PUBLIC_TEMPLATE.console);
    this.frameworkDefault = token(tokenKey, TOKEN.publicTemplate, PUBLIC_TEMPLATE.framework);

    // Events: a one-day launch in week 2 of the window, a two-day conference in week 4–5, a one-day launch in
    // the week-2 export's extra week. Days are fixed by the seed, not by the window's length.
    const rng = new Rng(hash32(options.seed, STREAM.habits, HABIT.events));
    const slots: Array<[number, number, number]> = [[8, 16, 1], [24, 34, 2], [46, 50, 1]];
    this.events = slots.map(([from, to, days], e) => ({
      day: rng.int(from, to),
      days,
      startMinute: rng.int(14, 18) * 60,
      template: token(tokenKey, TOKEN.publicTemplate, PUBLIC_TEMPLATE.event + e),
    }));
    this.eventOfDay = new Int8Array(clock.days).fill(-1);
    this.events.forEach((event, e) => {
      for (let d = event.day; d < Math.min(clock.days, event.day + event.days); d++) this.eventOfDay[d] = e;
    });
  }

  eventOn(day: number): number {
    return this.eventOfDay[day];
  }

  /** The truth role of a public client (SDK, framework or consumer front end), or of a client some group owns. */
  clientRole(client: string): string {
    return this.clientRoles.get(client) ?? 'client';
  }

  /** Truth facts: what the population shares, where a benchmark finds it. */
  facts(): Record<string, unknown> {
    const { clock } = this.model;
    return {
      sdk_default_templates: Object.fromEntries(SDK_CLIENTS.map((family, k) => [family.family, this.sdkDefaults[k]])),
      console_default_template: this.consoleDefault,
      framework: { client: this.framework.family.family, default_template: this.frameworkDefault },
      events: this.events.filter((event) => event.day < clock.days).map((event) => ({
        first_day: clock.day(event.day), days: Math.min(event.days, clock.days - event.day),
        start_utc: `${String(event.startMinute / 60).padStart(2, '0')}:00`, template: event.template,
      })),
    };
  }

  // ── classes ───────────────────────────────────────────────────────────────
  /**
   * Lay out the classes (after the households' other roles): sizes log-uniform 20–200, each in one country
   * with a class hour on 2–3 weekdays; members are people of that country whose household has no other role,
   * one per household, found by a seeded walk over households.
   */
  layoutClasses(): void {
    const { model } = this;
    const { options, tokenKey } = model;
    const count = Math.max(1, Math.round(options.accounts / ACCOUNTS_PER_CLASS));
    const weights = cumulativeOf(CLASS_COUNTRIES.map((code) => COUNTRIES.find((country) => country.code === code)!.weight));
    const wanted: ClassPlan[] = [];
    for (let k = 0; k < count; k++) {
      const rng = new Rng(hash32(options.seed, STREAM.habits, HABIT.classes, k));
      const country = CLASS_COUNTRIES[pickWeighted(rng, weights)];
      const size = Math.round(20 * 10 ** rng.next());
      const localHour = rng.int(8, 19);
      const days = rng.chance(0.5) ? 2 : 3;
      let weekdays = 0;
      while (popcount(weekdays) < days) weekdays |= 1 << rng.int(1, 5);
      const offset = UTC_OFFSETS[country][0];
      const name = `class_${String(k + 1).padStart(2, '0')}`;
      const client = rng.chance(0.6) ? clientName(this.sdk[0].family, this.sdk[0].family.versions.length - 1) : clientName(this.consumer[0].family, this.consumer[0].family.versions.length - 1);
      wanted.push({
        name, country, size,
        homework: {
          template: token(tokenKey, TOKEN.groupTemplate, GROUP_TEMPLATE.classBase + k * GROUP_TEMPLATE.perClass),
          templateRole: `homework template of ${name}`,
          client,
          capability: rng.pick(CLASS_CAPABILITIES),
          weekdays,
          startMinute: (((localHour * 60 - offset) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY,
          attendance: 0.75 + rng.next() * 0.2,
        },
      });
    }
    const members = model.assignClassMembers(wanted.map((plan) => ({ country: plan.country, size: plan.size })), hash32(options.seed, STREAM.habits, HABIT.classMembers));
    this.classOfRank = members.classOfRank;
    this.classes = wanted.map((plan, k) => ({ ...plan, size: members.sizes[k] }));
  }

  classOf(rank: number): number {
    return this.classOfRank && rank < this.classOfRank.length ? this.classOfRank[rank] : -1;
  }

  // ── plan builders ─────────────────────────────────────────────────────────
  /** A version of a client family, the newer ones more often; sometimes an upgrade to the newest during the window. */
  private clientOf(rng: Rng, choice: ClientChoice): { clients: [string, string]; switchDay: number; role: string } {
    const newest = choice.family.versions.length - 1;
    const version = pickWeighted(rng, choice.cumulative);
    const first = clientName(choice.family, version);
    if (version < newest && rng.chance(UPGRADE_SHARE)) {
      return { clients: [first, clientName(choice.family, newest)], switchDay: rng.int(1, 51), role: choice.role };
    }
    return { clients: [first, first], switchDay: Number.MAX_SAFE_INTEGER, role: choice.role };
  }

  /**
   * A person's plan (organic, campus): time zone, client, templates and rhythm from who they are. `sdk` is the
   * PUBLIC_SDKS index of an SDK default fingerprint the account shows (-1: none): their client is that SDK.
   */
  personPlan(rng: Rng, person: { slot: number; country: string; student: boolean; mainCapability: Capability; sdk: number; createdMs: number; classIndex: number }): BehaviourPlan {
    const { tokenKey } = this.model;
    const utcOffset = rng.pick(UTC_OFFSETS[person.country] ?? [0]);
    const developer = DEVELOPER_CAPABILITIES.has(person.mainCapability);
    const frameworkShare = person.mainCapability === 'agentic_reasoning' ? FRAMEWORK_SHARE.agentic : developer ? FRAMEWORK_SHARE.developer : FRAMEWORK_SHARE.other;
    const onFramework = person.sdk < 0 && rng.chance(frameworkShare);
    let choice: ClientChoice;
    if (onFramework) choice = this.framework;
    else if (person.sdk >= 0) choice = this.sdk[person.sdk];
    else if (developer) choice = this.sdk[pickWeighted(rng, this.sdkShares)];
    else if (person.student) choice = rng.chance(0.5) ? this.sdk[0] : this.consumer[0];
    else choice = this.consumer[pickWeighted(rng, this.consumerShares)];
    const client = this.clientOf(rng, choice);

    // Personal scaffolds (1–4, the first used most), then the client's public default if this person sends it.
    const own = 1 + Number(rng.chance(0.5)) + Number(rng.chance(0.3)) + Number(rng.chance(0.2));
    const templates: string[] = [];
    const weights: number[] = [];
    const roles: Array<string | null> = [];
    for (let k = 0; k < own; k++) {
      templates.push(token(tokenKey, TOKEN.personalTemplate, person.slot * PERSONAL_TEMPLATES + k));
      weights.push(1 / (k + 1));
      roles.push(null);
    }
    const sdkIndex = this.sdk.indexOf(choice);
    const addPublic = (template: string, share: number, role: string): void => {
      const personal = weights.reduce((sum, weight) => sum + weight, 0);
      templates.push(template);
      weights.push((personal * share) / (1 - share));
      roles.push(role);
    };
    if (onFramework) addPublic(this.frameworkDefault, FRAMEWORK_DEFAULT_WEIGHT, TEMPLATE_ROLE.framework);
    else if (sdkIndex >= 0 && rng.chance(SDK_DEFAULT_USERS)) addPublic(this.sdkDefaults[sdkIndex], SDK_DEFAULT_WEIGHT, TEMPLATE_ROLE.sdkDefault);
    else if (choice === this.consumer[0] && rng.chance(CONSOLE_DEFAULT_USERS)) addPublic(this.consoleDefault, CONSOLE_DEFAULT_WEIGHT, TEMPLATE_ROLE.consoleDefault);

    let events = 0;
    for (let e = 0; e < this.events.length; e++) if (rng.chance(EVENT_FOLLOWERS)) events |= 1 << e;
    return {
      rhythm: {
        kind: 'human',
        utcOffset,
        hours: person.student ? DIURNAL.student : developer || onFramework ? DIURNAL.developer : DIURNAL.evening,
        sittingMean: onFramework ? 8 : developer ? 4 : 3,
        sameMinute: onFramework ? 0.5 : person.mainCapability === 'agentic_reasoning' ? 0.3 : developer ? 0.15 : 0.05,
      },
      templates,
      templateWeights: cumulativeOf(weights),
      templateRoles: roles,
      clients: client.clients,
      clientSwitchDay: client.switchDay,
      clientRoles: [client.role, client.role],
      tokenSigma: 0.6,
      events,
      homework: person.classIndex >= 0 ? this.classes[person.classIndex].homework : null,
      fromMinute: windowMinute(this.model, person.createdMs),
    };
  }

  /** An enterprise team's shared habits: its time zone, one managed client version, 2–3 internal scaffolds. */
  teamHabits(team: number, name: string, country: string): TeamHabits {
    const { options, tokenKey } = this.model;
    const rng = new Rng(hash32(options.seed, STREAM.habits, HABIT.team, team));
    const sdk = this.sdk[rng.chance(0.6) ? 0 : 1];
    const shared = rng.int(2, 3);
    return {
      utcOffset: rng.pick(UTC_OFFSETS[country] ?? [0]),
      client: clientName(sdk.family, sdk.family.versions.length - 1 - rng.int(0, 1)),
      templates: Array.from({ length: shared }, (_, k) => token(tokenKey, TOKEN.groupTemplate, GROUP_TEMPLATE.teamBase + team * GROUP_TEMPLATE.perTeam + k)),
      role: `internal template of ${name}`,
    };
  }

  /** A team member: the team's scaffolds in 60% of sittings, 1–2 of their own, office hours in the team's zone. */
  memberPlan(rng: Rng, team: TeamHabits, slot: number, createdMs: number): BehaviourPlan {
    const { tokenKey } = this.model;
    const own = rng.chance(0.5) ? 2 : 1;
    const templates = [...team.templates];
    const weights = team.templates.map(() => 0.6 / team.templates.length);
    const roles: Array<string | null> = team.templates.map(() => team.role);
    for (let k = 0; k < own; k++) {
      templates.push(token(tokenKey, TOKEN.personalTemplate, slot * PERSONAL_TEMPLATES + k));
      weights.push(0.4 / own);
      roles.push(null);
    }
    let events = 0;
    for (let e = 0; e < this.events.length; e++) if (rng.chance(EVENT_FOLLOWERS / 2)) events |= 1 << e;
    const role = this.clientRole(team.client);
    return {
      rhythm: { kind: 'human', utcOffset: team.utcOffset, hours: DIURNAL.office, sittingMean: 4, sameMinute: 0.2 },
      templates,
      templateWeights: cumulativeOf(weights),
      templateRoles: roles,
      clients: [team.client, team.client],
      clientSwitchDay: Number.MAX_SAFE_INTEGER,
      clientRoles: [role, role],
      tokenSigma: 0.6,
      events,
      homework: null,
      fromMinute: windowMinute(this.model, createdMs),
    };
  }
}

export interface TeamHabits { utcOffset: number; client: string; templates: string[]; role: string }

function popcount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}

// ── operators ────────────────────────────────────────────────────────────────

/** How an operator lays out its accounts' work over the day. */
export type WorkPattern = 'fixed-rate' | 'shifts' | 'relay';
export const WORK_PATTERNS: readonly WorkPattern[] = ['fixed-rate', 'shifts', 'relay'];

export interface OperatorSetup {
  /** Stable key of the swarm (classic swarms 0–3, tactic swarm i 16 + i): seeds, template and harness names. */
  key: number;
  name: string;
  /** 'drawn': one of WORK_PATTERNS, from the seed. */
  pattern: WorkPattern | 'drawn';
  /** Whose client the accounts send: the operator's own harness, the most popular public SDK, the agent framework, or (drawn) harness or SDK evenly. */
  client: 'harness' | 'sdk' | 'framework' | 'drawn';
  /** Private scaffolds (1–5), or only the agent framework's default. */
  templates: 'private' | 'framework';
  /** Expected exchanges per account-day, to size the dispatcher. */
  dailyExchanges: number;
}

/** Rounds per day are sized so that a window holds this many times an account's mean calls (each account takes most rounds, rarely two calls in one). */
const ROUNDS_PER_CALL = 1.6;
const MAX_ROUNDS_PER_DAY = 2880;

/**
 * A swarm's behaviour: its templates and client, its work pattern, and a dispatcher per crew (sub-operators
 * keep their own schedules). `plan(rank, crew)` gives an account its window and phase.
 */
export class OperatorHabits {
  readonly templates: string[];
  private readonly templateWeights: Float64Array;
  private readonly templateRoles: Array<string | null>;
  readonly client: string;
  private readonly clientRole: string;
  readonly pattern: WorkPattern;
  private readonly shifts: number;
  private readonly shiftStart: number;
  private readonly chain: number;
  private readonly dispatchers = new Map<number, Dispatcher>();

  constructor(private readonly model: WorldModel, private readonly setup: OperatorSetup) {
    const { options, tokenKey } = model;
    const habits = model.habits!;
    const rng = new Rng(hash32(options.seed, STREAM.habits, HABIT.operator, setup.key));
    const patternDraw = rng.int(0, WORK_PATTERNS.length - 1);
    this.pattern = setup.pattern === 'drawn' ? WORK_PATTERNS[patternDraw] : setup.pattern;
    const clientKind = setup.client === 'drawn' ? (rng.chance(0.5) ? 'sdk' : 'harness') : setup.client;
    if (setup.templates === 'framework') {
      this.templates = [habits.frameworkDefault];
      this.templateRoles = [TEMPLATE_ROLE.framework];
      this.templateWeights = cumulativeOf([1]);
    } else {
      const count = rng.int(1, 5);
      this.templates = Array.from({ length: count }, (_, k) => token(tokenKey, TOKEN.groupTemplate, GROUP_TEMPLATE.operatorBase + setup.key * GROUP_TEMPLATE.perOperator + k));
      this.templateRoles = this.templates.map(() => `private template of ${setup.name}`);
      this.templateWeights = cumulativeOf(this.templates.map(() => 0.5 + rng.next()));
    }
    if (clientKind === 'framework') {
      this.client = clientName(habits.framework.family, habits.framework.family.versions.length - 1);
      this.clientRole = CLIENT_ROLE.framework;
    } else if (clientKind === 'sdk') {
      this.client = clientName(habits.sdk[0].family, habits.sdk[0].family.versions.length - 1);
      this.clientRole = CLIENT_ROLE.sdk;
    } else {
      // Unique to the swarm: the version carries its key.
      this.client = `${HARNESS_NAMES[setup.key % HARNESS_NAMES.length]}/${1 + (setup.key % 3)}.${setup.key}.${rng.int(0, 9)}`;
      this.clientRole = `private harness of ${setup.name}`;
    }
    this.shifts = rng.chance(0.5) ? 2 : 3;
    this.shiftStart = rng.int(0, 23) * 60;
    this.chain = rng.int(2, 4);
  }

  /** Minutes of an account's work window. */
  private windowLength(): number {
    const { pattern } = this;
    return pattern === 'fixed-rate' ? MINUTES_PER_DAY : pattern === 'shifts' ? MINUTES_PER_DAY / this.shifts : MINUTES_PER_DAY / this.chain;
  }

  private dispatcher(crew: number): Dispatcher {
    let dispatcher = this.dispatchers.get(crew);
    if (!dispatcher) {
      const perDay = Math.min(MAX_ROUNDS_PER_DAY, Math.max(4, Math.ceil((ROUNDS_PER_CALL * this.setup.dailyExchanges * MINUTES_PER_DAY) / this.windowLength())));
      dispatcher = makeDispatcher(hash32(this.model.options.seed, STREAM.habits, HABIT.dispatcher, this.setup.key, crew), this.model.clock.days, perDay, this.templateWeights);
      this.dispatchers.set(crew, dispatcher);
    }
    return dispatcher;
  }

  /**
   * Member `rank`'s plan (crew: its sub-operator, 0 without). Shifts: rank-hashed shift of the operator's day;
   * relay: consecutive ranks form chains, each member working the slot after the previous one's.
   */
  plan(rank: number, crew: number, createdMs: number): BehaviourPlan {
    const { options } = this.model;
    const { key } = this.setup;
    const { pattern } = this;
    const length = this.windowLength();
    let start = 0;
    if (pattern === 'shifts') {
      start = this.shiftStart + (mix32(hash32(options.seed, STREAM.habits, HABIT.shift, key, rank)) % this.shifts) * length;
    } else if (pattern === 'relay') {
      const chainStart = mix32(hash32(options.seed, STREAM.habits, HABIT.chain, key, Math.floor(rank / this.chain))) % MINUTES_PER_DAY;
      start = chainStart + (rank % this.chain) * length;
    }
    return {
      rhythm: {
        kind: 'scheduled',
        dispatcher: this.dispatcher(crew),
        windowStart: start % MINUTES_PER_DAY,
        windowLength: length,
        phase: mix32(hash32(options.seed, STREAM.habits, HABIT.phase, key, rank)) / 4294967296,
      },
      templates: this.templates,
      templateWeights: this.templateWeights,
      templateRoles: this.templateRoles,
      clients: [this.client, this.client],
      clientSwitchDay: Number.MAX_SAFE_INTEGER,
      clientRoles: [this.clientRole, this.clientRole],
      // A harness fills one scaffold with similar-sized chunks and caps the answer: near-uniform tokens.
      tokenSigma: 0.05,
      events: 0,
      homework: null,
      fromMinute: windowMinute(this.model, createdMs),
    };
  }

  /** Truth facts of the swarm's behaviour. */
  facts(): Record<string, unknown> {
    const { pattern } = this;
    const dispatcher = this.dispatcher(0);
    return {
      templates: this.templates,
      client: this.client,
      work_pattern: pattern,
      ...(pattern === 'shifts' ? { shifts: this.shifts, first_shift_utc: `${String(this.shiftStart / 60).padStart(2, '0')}:00` } : {}),
      ...(pattern === 'relay' ? { relay_chain: this.chain } : {}),
      dispatcher_rounds_per_day: dispatcher.roundsPerDay,
    };
  }
}
