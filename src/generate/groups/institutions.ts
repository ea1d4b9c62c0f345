/**
 * Legitimate dense groups that a naive detector mistakes for swarms.
 * - Campus: hundreds of students behind a few university NAT addresses, each with their own card,
 *   created in semester waves, diverse study-shaped usage.
 * - Enterprise developer teams (the hard negative): tens to hundreds (tactic worlds: up to 2,000) of accounts on ONE corporate card,
 *   a few office IPs (some teams egress through a cloud security gateway flagged is_proxy, shared by
 *   several companies), a managed device image fingerprint, coding-heavy usage — but created over months
 *   as people are hired, a corporate email domain, weekday business-hours activity.
 */
import {
  CAMPUS_NETWORK, COUNTRIES, ENTERPRISE_ISP, SECURE_WEB_GATEWAYS, TOKEN, blockAddress, blockAddress6, companyDomain, token, type Capability,
} from '../catalog';
import { organicCapabilities } from '../activity';
import { emitExchanges } from '../behaviour';
import { REGION6, STREAM, type WorldModel } from '../model';
import { Rng, hash32 } from '../random';
import {
  COMMON_TLS_ROLE, DAY_MS, MOBILE_NAT_ROLE, STATUS_LEGIT, linkCommonTls, linkFingerprint, linkInstrument, linkIp, seenWithin,
  type GroupGenerator, type IpEndpoint,
} from './group';

const STUDY_CAPABILITIES: Capability[] = ['writing', 'math', 'education', 'software_engineering', 'research', 'chat', 'data_analysis', 'translation'];
const STUDENT_WEEK = [0.8, 1, 1, 1, 1, 0.9, 0.6];
const WORK_WEEK = [0, 1, 1, 1, 1, 1, 0];

export function campusGroup(model: WorldModel, size: number): GroupGenerator {
  const { options, clock } = model;
  const nats: IpEndpoint[] = Array.from({ length: options.campusNatIps }, (_, k) => ({ address: blockAddress(CAMPUS_NETWORK.block, k), asn: CAMPUS_NETWORK.asn, isProxy: false }));
  // Semester intakes: a year before the window, the spring term, and the term that opens with the window.
  const intakes = [clock.startMs - 365 * DAY_MS, clock.startMs - 230 * DAY_MS, clock.startMs - 3 * DAY_MS];
  const us = COUNTRIES[0];
  const tactic = 'students behind a few university NAT addresses, individual cards, semester sign-up waves';
  const entry = model.tallyFor('campus_01', 'campus', true, tactic, { nat_ips: nats.map((nat) => nat.address) });
  return {
    name: 'campus_01',
    kind: 'campus',
    legitimate: true,
    tactic,
    baseSize: size,
    size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member('campus_01', 'campus');
      const createdMs = Math.min(clock.endMs - DAY_MS, rng.pick(intakes) + rng.next() * 21 * DAY_MS);
      out.account(createdMs, rng.chance(0.8) ? 'student.northfield.edu' : 'gmail.com', 'US', STATUS_LEGIT(rng));
      const endMs = clock.endMs;
      const [cardFirst, cardLast] = seenWithin(rng, createdMs, endMs);
      out.instrument(token(model.tokenKey, TOKEN.studentCard, slot), rng.chance(0.8) ? 'card' : rng.chance(0.7) ? 'prepaid_card' : 'wallet', cardFirst, cardLast);
      const natCount = rng.chance(0.6) ? 1 : 2;
      for (let i = 0; i < natCount; i++) linkIp(model, rng, rng.pick(nats), createdMs, endMs, 80, 0.8, 'campus NAT');
      if (rng.chance(0.4)) linkIp(model, rng, model.pickMobileNat(rng, 'US'), createdMs, endMs, 20, 1, MOBILE_NAT_ROLE);
      if (rng.chance(0.3)) {
        const carrier = rng.pick(us.home);
        linkIp(model, rng, { address: blockAddress6(carrier.block, REGION6.ownLine, slot), asn: carrier.asn, isProxy: false }, createdMs, endMs, 30, 1, null);
      }
      linkCommonTls(model, rng, createdMs, endMs);
      if (rng.chance(0.2)) linkFingerprint(model, rng, token(model.tokenKey, TOKEN.campusDevice, slot, true), 'device', createdMs, endMs, null);
      const mix = organicCapabilities(rng, () => rng.pick(STUDY_CAPABILITIES));
      const plan = model.habits?.personPlan(rng, {
        slot, country: 'US', student: true, mainCapability: mix.capabilities[0], sdk: -1, createdMs, classIndex: -1,
      }) ?? null;
      emitExchanges(model, rng, {
        firstDay: Math.ceil((createdMs - clock.startMs) / DAY_MS),
        lastDay: clock.days - 1,
        dayProbability: 0.1 + rng.next() * 0.35,
        weekdayFactor: STUDENT_WEEK,
        dailyMean: rng.lognormal(4, 0.8),
        capabilities: mix.capabilities,
        shares: mix.shares,
        hours: 'evening',
        outputScale: 1,
        atLeastOne: true,
      }, plan);
    },
  };
}

/**
 * Team sizes, drawn once per world from the seed: log-normal around 40, clamped to 10–300; or, with a
 * largest team (tactic worlds), that team first and the others 5–2,000 with a wider spread.
 */
export function layoutTeams(seed: number, teams: number, largest = 0): number[] {
  const rng = new Rng(hash32(seed, STREAM.team, 0));
  if (largest > 0) {
    return Array.from({ length: teams }, (_, team) => (team === 0 ? largest : Math.max(5, Math.min(2000, Math.round(rng.lognormal(40, 1.1))))));
  }
  return Array.from({ length: teams }, () => Math.max(10, Math.min(300, Math.round(rng.lognormal(40, 0.8)))));
}

const TEAM_COUNTRIES = ['US', 'US', 'GB', 'DE', 'IN', 'CA', 'FR', 'NL'];

export function enterpriseTeamGroup(model: WorldModel, team: number, size: number, gatewayIps: number): GroupGenerator {
  const { options, clock } = model;
  const teamRng = new Rng(hash32(options.seed, STREAM.team, team + 1));
  const name = `enterprise_team_${String(team + 1).padStart(2, '0')}`;
  const domain = companyDomain(200 + team);
  const country = TEAM_COUNTRIES[team % TEAM_COUNTRIES.length];
  const usesGateway = teamRng.chance(0.3);
  const isp = ENTERPRISE_ISP[team % ENTERPRISE_ISP.length];
  const officeIps = usesGateway
    ? Array.from({ length: 2 }, () => {
      const k = teamRng.int(0, gatewayIps - 1);
      const gateway = SECURE_WEB_GATEWAYS[k % SECURE_WEB_GATEWAYS.length];
      return { address: blockAddress(gateway.block, k), asn: gateway.asn, isProxy: true };
    })
    : Array.from({ length: teamRng.int(1, 3) }, (_, i) => ({ address: blockAddress(isp.block, team * 4 + i), asn: isp.asn, isProxy: false }));
  const card = token(model.tokenKey, TOKEN.corporateCard, team);
  const deviceImage = token(model.tokenKey, TOKEN.deviceImage, team, true);
  const managedBrowserTls = model.tls(teamRng.int(0, Math.min(2, options.tlsFingerprints - 1)));
  const foundedMs = clock.startMs - teamRng.int(120, 420) * DAY_MS;
  const tactic = usesGateway
    ? 'developer team on one corporate card, office traffic through a cloud security gateway (is_proxy=true, shared with other companies), managed device image'
    : 'developer team on one corporate card, office IPs, managed device image';
  const entry = model.tallyFor(name, 'enterprise_team', true, tactic, {
    email_domain: domain, corporate_card: card, device_image: deviceImage, office_ips: officeIps.map((ip) => ip.address),
  });
  // Behaviour worlds: the team's time zone, managed client version and internal scaffolds.
  const habits = model.habits?.teamHabits(team, name, country) ?? null;
  if (habits) Object.assign(entry.facts, { client: habits.client, internal_templates: habits.templates, utc_offset_minutes: habits.utcOffset });
  return {
    name,
    kind: 'enterprise_team',
    legitimate: true,
    tactic,
    baseSize: size,
    size,
    emit(rank, slot, rng) {
      const out = model.out;
      out.begin(model.accountId(slot), entry.tally);
      out.member(name, 'enterprise_team');
      // Hiring over months: the first members at founding, the rest spread up to a month before the window ends.
      const hireSpan = clock.startMs + (options.baseDays - 30) * DAY_MS - foundedMs;
      const createdMs = rank < 3 ? foundedMs + rank * DAY_MS : foundedMs + rng.next() * hireSpan;
      const hireMs = Math.floor(createdMs / DAY_MS) * DAY_MS + (9 + rng.next() * 8) * 3_600_000;
      out.account(hireMs, domain, country, STATUS_LEGIT(rng));
      const endMs = clock.endMs;
      linkInstrument(model, rng, card, 'card', hireMs, endMs, `corporate card of ${name}`);
      for (const office of officeIps) {
        if (officeIps.length > 1 && rng.chance(0.3)) continue;
        linkIp(model, rng, office, hireMs, endMs, 400, 0.8, office.isProxy ? 'cloud security gateway egress' : `office IP of ${name}`);
      }
      if (rng.chance(0.4)) {
        const home = COUNTRIES.find((c) => c.code === country) ?? COUNTRIES[0];
        const carrier = rng.pick(home.home);
        linkIp(model, rng, { address: blockAddress6(carrier.block, REGION6.ownLine, slot), asn: carrier.asn, isProxy: false }, hireMs, endMs, 60, 1, null);
      }
      linkFingerprint(model, rng, deviceImage, 'device', hireMs, endMs, null);
      linkFingerprint(model, rng, managedBrowserTls, 'tls', hireMs, endMs, COMMON_TLS_ROLE);
      const extra = rng.chance(0.5);
      const plan = habits ? model.habits!.memberPlan(rng, habits, slot, hireMs) : null;
      emitExchanges(model, rng, {
        firstDay: Math.ceil((hireMs - clock.startMs) / DAY_MS),
        lastDay: clock.days - 1,
        dayProbability: 0.7 + rng.next() * 0.25,
        weekdayFactor: WORK_WEEK,
        dailyMean: rng.lognormal(18, 0.6),
        capabilities: extra ? ['software_engineering', 'agentic_reasoning', 'data_analysis', 'writing'] : ['software_engineering', 'agentic_reasoning', 'writing'],
        shares: extra ? [0.6, 0.2, 0.12, 0.08] : [0.65, 0.25, 0.1],
        hours: 'business',
        outputScale: 1,
        atLeastOne: true,
      }, plan);
    },
  };
}
