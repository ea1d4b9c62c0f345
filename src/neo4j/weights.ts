/**
 * Link weights for the account–identifier graph, as the GDS engine writes them to `r.weight` and the export
 * shows them to Browser users.
 *
 *   w(account, identifier) = 1 / log2(1 + d(identifier))      for identifiers below the hub limit
 *   w = 0                                                      for hubs (they link too many accounts to be evidence)
 *
 * d is the identifier's degree (distinct accounts). The inverse-log damping is the Adamic–Adar idea
 * (L. A. Adamic, E. Adar, "Friends and neighbors on the Web", Social Networks 25(3), 2003,
 * doi:10.1016/S0378-8733(03)00009-1): an identifier shared by few accounts says more than one shared by many.
 * Callers pass their own LinkWeight to use the embedded engine's exact formula (see gdsEngine's `linkWeight`).
 */
import type { IdentifierKind, World } from '../core/world';

/** Weight of link number `link` (index into world.links[kind]); `degree` is its identifier's degree. */
export type LinkWeight = (world: World, kind: IdentifierKind, link: number, degree: number, hub: boolean) => number;

export const defaultLinkWeight: LinkWeight = (_world, _kind, _link, degree, hub) =>
  hub || degree <= 0 ? 0 : 1 / Math.log2(1 + degree);
