/**
 * The platform baseline: what the accounts outside flagged clusters look like (capability mix, accounts per
 * payment instrument, prepaid/virtual and proxy shares, exchanges per active account-day, minute-level
 * behaviour), measured in one linear pass over those accounts. A cluster's lift and ratios are read against it.
 */
import { measureBaselineBehaviour } from './behaviour';
import { isoDay, ratio } from './measure';
import type { Baseline } from './types';
import type { WorldIndex } from './world-index';

/**
 * @param excluded per account: 1 when the account belongs to a flagged cluster and must not shape the baseline.
 * When every account is excluded (a tiny world that is all clusters) the baseline falls back to all accounts.
 */
export function measureBaseline(index: WorldIndex, excluded: Uint8Array, definition: string): Baseline {
  const { world } = index;
  const size = world.accounts.size;
  let included = 0;
  for (let a = 0; a < size; a++) if (!excluded[a]) included++;
  if (included === 0 && size > 0) return measureBaseline(index, new Uint8Array(size), 'all accounts (every account is in a flagged cluster)');

  const ex = world.exchanges;
  const capability = new Float64Array(ex.capabilities.length);
  // One account's own mix m_a (its share of each capability), for the spread of single accounts' mixes below.
  const own = new Float64Array(ex.capabilities.length);
  const ownSquares = new Float64Array(ex.capabilities.length);
  const days = Math.max(0, index.lastDay - index.firstDay + 1);
  const daily = new Float64Array(days);
  let exchanges = 0;
  let accountDays = 0;
  let withInstrument = 0;
  let prepaidAccounts = 0;
  let instrumentLinks = 0;
  let withIp = 0;
  let proxyAccounts = 0;
  const instrumentSeen = new Uint8Array(world.identifiers.instrument.size);
  let instruments = 0;
  const { instrument: instrumentOffsets, ip: ipOffsets } = index.linkOffsets;
  const instrumentOf = world.links.instrument.identifier;
  const instrumentKind = world.identifiers.instrument.subkind;
  const ipOf = world.links.ip.identifier;
  const proxy = world.identifiers.ip.proxy;

  for (let a = 0; a < size; a++) {
    if (excluded[a]) continue;
    let lastDay = -1;
    let accountExchanges = 0;
    own.fill(0);
    for (let c = ex.accountOffsets[a]; c < ex.accountOffsets[a + 1]; c++) {
      const count = ex.count[c];
      exchanges += count;
      accountExchanges += count;
      own[ex.capability[c]] += count;
      capability[ex.capability[c]] += count;
      daily[ex.day[c] - index.firstDay] += count;
      if (ex.day[c] !== lastDay) {
        accountDays++;
        lastDay = ex.day[c];
      }
    }
    // Σ_a w_a · m_a,c² (w_a = the account's exchanges), so that Var_w(m_c) = Σ w m² / Σ w − (Σ w m / Σ w)².
    if (accountExchanges > 0) for (let k = 0; k < own.length; k++) if (own[k] > 0) ownSquares[k] += (own[k] * own[k]) / accountExchanges;
    const iStart = instrumentOffsets[a];
    const iEnd = instrumentOffsets[a + 1];
    if (iEnd > iStart) withInstrument++;
    let prepaid = false;
    for (let l = iStart; l < iEnd; l++) {
      const i = instrumentOf[l];
      instrumentLinks++;
      if (!instrumentSeen[i]) {
        instrumentSeen[i] = 1;
        instruments++;
      }
      if (index.prepaidOrVirtual[instrumentKind[i]]) prepaid = true;
    }
    if (prepaid) prepaidAccounts++;
    const pStart = ipOffsets[a];
    const pEnd = ipOffsets[a + 1];
    if (pEnd > pStart) withIp++;
    let onProxy = false;
    for (let l = pStart; l < pEnd; l++) if (proxy.length > 0 && proxy[ipOf[l]] === 1) onProxy = true;
    if (onProxy) proxyAccounts++;
  }

  const mix: Record<string, number> = {};
  const spread: Record<string, number> = {};
  ex.capabilities.forEach((name, c) => {
    mix[name] = ratio(capability[c], exchanges);
    spread[name] = exchanges > 0 ? Math.sqrt(Math.max(0, ownSquares[c] / exchanges - mix[name] * mix[name])) : 0;
  });
  return {
    definition,
    accounts: included,
    exchanges,
    capability_mix: mix,
    capability_account_sd: spread,
    accounts_per_instrument: ratio(instrumentLinks, instruments),
    prepaid_virtual_share: ratio(prepaidAccounts, withInstrument),
    proxy_share: ratio(proxyAccounts, withIp),
    exchanges_per_account_day: ratio(exchanges, accountDays),
    first_day: days > 0 ? isoDay(index.firstDay) : null,
    daily_exchanges: Array.from(daily),
    behaviour: measureBaselineBehaviour(index, excluded),
  };
}
