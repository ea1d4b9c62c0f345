/**
 * A small world with the shapes detection must handle, built independently of the generator (src/generate)
 * so these tests do not depend on its choices:
 * - a swarm: accounts paying with prepaid cards shared by groups of `cardGroup`, each account using one of a
 *   few automation ("proxy") fingerprints and a few residential-proxy exit IPs;
 * - bystanders: legitimate users whose only tie to the swarm is one of those proxy exit IPs;
 * - legitimate users with their own card, a home IP and a common browser fingerprint;
 * - households (2–4 people on one home IP and browser fingerprint), a mobile-carrier NAT IP shared by hundreds,
 *   a TLS fingerprint shared by more than the hub limit, a campus NAT;
 * - an enterprise team on one corporate card, an office IP and a managed device image.
 */
import { seededRandom } from '../../src/detect/random';
import { WorldBuilder, names } from './world-builder';
import type { World } from '../../src/core/world';

export interface SyntheticWorld {
  world: World;
  swarm: Set<string>;
  bystanders: Set<string>;
  team: Set<string>;
}

export function syntheticWorld(options: { swarm: number; legit: number; seed: number; cardGroup?: number }): SyntheticWorld {
  const random = seededRandom(options.seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const builder = new WorldBuilder();
  const cardGroup = options.cardGroup ?? 6;

  const swarm = names('s', options.swarm);
  const automation = names('fp_auto_', Math.max(2, Math.ceil(options.swarm / 150)));
  const exits = names('198.51.100.', Math.max(10, Math.ceil(options.swarm / 15)));
  for (let i = 0; i < swarm.length; i += cardGroup) builder.card(swarm.slice(i, i + cardGroup), `pc_${i / cardGroup}`, 'prepaid_card');
  for (const account of swarm) {
    builder.fingerprint([account], pick(automation), 'proxy');
    for (let k = 0; k < 3; k++) builder.ip([account], pick(exits), true);
  }

  const legit = names('u', options.legit);
  const mobileNat = '100.64.0.1';
  const commonTls = 'tls_chrome';
  for (const [i, account] of legit.entries()) {
    builder.card([account], `card_${i}`);
    builder.ip([account], `10.${i >> 8}.${i & 255}.1`);
    builder.fingerprint([account], `browser_${i}`, 'browser');
    if (random() < 0.7) builder.fingerprint([account], commonTls, 'tls');
    if (random() < 0.3) builder.ip([account], mobileNat);
  }
  // Households: consecutive legit users on one home IP and one browser build.
  for (let i = 0; i + 4 < legit.length * 0.2; i += 4) {
    const size = 2 + Math.floor(random() * 3);
    const home = legit.slice(i, i + size);
    builder.ip(home, `203.0.113.${i}`);
    builder.fingerprint(home, `browser_home_${i}`, 'browser');
  }
  // Campus NAT: 150 students on one IP, nothing else in common.
  builder.ip(legit.slice(Math.floor(legit.length * 0.5), Math.floor(legit.length * 0.5) + 150), '192.0.2.1');

  // Bystanders: legitimate users who bought the same residential proxy service; one exit IP in common.
  const bystanders = names('b', Math.max(10, Math.floor(options.swarm / 20)));
  for (const [i, account] of bystanders.entries()) {
    builder.card([account], `card_b${i}`);
    builder.fingerprint([account], `browser_b${i}`, 'browser');
    builder.ip([account], pick(exits), true);
  }

  const team = names('t', 30);
  builder.card(team, 'corp_card', 'card');
  builder.ip(team, '192.0.2.200');
  builder.fingerprint(team, 'device_image_7', 'device');

  return { world: builder.build(), swarm: new Set(swarm), bystanders: new Set(bystanders), team: new Set(team) };
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}
