/** A planted group: how many accounts it has, how to write the rows of its member of rank r, and the link writers groups share. */
import type { WorldModel } from '../model';
import type { Rng } from '../random';

export interface GroupGenerator {
  name: string;
  /** Truth kind: organic (with households, vpn_users, bystander inside), campus, enterprise_team, swarm. */
  kind: string;
  legitimate: boolean;
  tactic: string;
  /** Members in week 1 (ranks [0, baseSize) continue in week 2 with the same slots). */
  baseSize: number;
  /** Members now (≥ baseSize in week 2 for growing groups). */
  size: number;
  emit(rank: number, slot: number, rng: Rng, model: WorldModel): void;
}

export const DAY_MS = 86_400_000;

/** first/last seen of a link inside [fromMs, toMs]: starts near fromMs, ends near toMs. */
export function seenWithin(rng: Rng, fromMs: number, toMs: number): [number, number] {
  const span = Math.max(0, toMs - fromMs);
  const first = fromMs + rng.next() * Math.min(span * 0.2, 3 * DAY_MS);
  const last = Math.max(first, toMs - rng.next() * Math.min(span * 0.2, 2 * DAY_MS));
  return [first, last];
}

export const STATUS_LEGIT = (rng: Rng): string => (rng.chance(0.993) ? 'active' : rng.chance(0.7) ? 'suspended' : 'terminated');

/**
 * One link row with its seen-interval inside [fromMs, toMs]; `role` names the identifier in the truth's
 * shared-identifier list (null: not listed). Draw order, which the byte-identical worlds depend on: the
 * interval first, then whatever the row itself draws.
 */
export function linkInstrument(model: WorldModel, rng: Rng, id: string, kind: string, fromMs: number, toMs: number, role: string | null): void {
  const [first, last] = seenWithin(rng, fromMs, toMs);
  model.out.instrument(id, kind, first, last);
  if (role) model.countShared('instrument', id, role);
}

/** A card of the account's own: a card (with probability cardShare) or a virtual card. */
export function linkOwnCard(model: WorldModel, rng: Rng, id: string, fromMs: number, toMs: number, cardShare: number): void {
  const [first, last] = seenWithin(rng, fromMs, toMs);
  model.out.instrument(id, rng.chance(cardShare) ? 'card' : 'virtual_card', first, last);
}

export interface IpEndpoint { address: string; asn: string; isProxy: boolean }

/** An IP link carrying a log-normal number of requests (median `requests`, log-space sigma). */
export function linkIp(
  model: WorldModel, rng: Rng, ip: IpEndpoint, fromMs: number, toMs: number, requests: number, sigma: number, role: string | null,
): void {
  const [first, last] = seenWithin(rng, fromMs, toMs);
  model.out.ip(ip.address, first, last, rng.lognormal(requests, sigma), ip.asn, ip.isProxy);
  if (role) model.countShared('ip', ip.address, role);
}

export function linkFingerprint(model: WorldModel, rng: Rng, id: string, kind: string, fromMs: number, toMs: number, role: string | null): void {
  const [first, last] = seenWithin(rng, fromMs, toMs);
  model.out.fingerprint(id, kind, first, last);
  if (role) model.countShared('fingerprint', id, role);
}

export const COMMON_TLS_ROLE = 'common browser TLS fingerprint';
export const MOBILE_NAT_ROLE = 'mobile carrier NAT';
export const VPN_EXIT_ROLE = 'commercial VPN exit';

/** One of the common browser TLS fingerprints (the hubs every legitimate account shows). */
export function linkCommonTls(model: WorldModel, rng: Rng, fromMs: number, toMs: number): void {
  const tls = model.pickTls(rng);
  linkFingerprint(model, rng, tls, 'tls', fromMs, toMs, COMMON_TLS_ROLE);
}
