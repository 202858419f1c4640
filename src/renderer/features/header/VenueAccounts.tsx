/**
 * Each venue's account in the account menu: equity, available and
 * unrealized PnL per venue with its PAPER / DEMO / LIVE badge, which of them
 * the header sums, and the currency it sums them in.
 */
import { useShallow } from 'zustand/react/shallow';
import { sumCurrencies } from '../../lib/accountTotals';
import { fmtMoney, pnlClass } from '../../lib/format';
import { SCHEME_BADGE, isRealMoney } from '../../lib/venueScheme';
import { useKeel } from '../../stores/KeelProvider';
import { schemeOf, selectHeaderTotals, selectVenueScheme } from '../../stores/selectors';

export function VenueAccounts() {
  const accounts = useKeel((s) => s.accounts);
  const schemes = useKeel(useShallow((s) => Object.keys(s.accounts).map((venue) => schemeOf(s, venue))));
  const totals = useKeel(selectHeaderTotals);
  const currency = useKeel((s) => s.sumCurrency);
  const setCurrency = useKeel((s) => s.setSumCurrency);
  const live = useKeel((s) => isRealMoney(selectVenueScheme(s)));
  const venues = Object.keys(accounts);
  const currencies = sumCurrencies(accounts);
  const summed = new Set(totals?.venues ?? []);

  return (
    <div className="menu-accounts">
      <table className="grid venue-accounts" aria-label="Accounts by venue">
        <thead>
          <tr>
            <th scope="col">Venue</th>
            <th scope="col" className="num">Equity</th>
            <th scope="col" className="num">Available</th>
            <th scope="col" className="num">Unrealized</th>
          </tr>
        </thead>
        <tbody>
          {venues.map((venue, i) => {
            const a = accounts[venue]!;
            const scheme = schemes[i];
            return (
              <tr key={venue} className={summed.has(venue) ? '' : 'muted'}>
                <td>
                  {scheme && <span className={`scheme-tag scheme-tag-${scheme}`}>{SCHEME_BADGE[scheme]}</span>} {venue}
                </td>
                <td className="num">
                  {fmtMoney(a.equity, { grouped: true })} <span className="muted">{a.currency}</span>
                </td>
                <td className="num">{fmtMoney(a.available, { grouped: true })}</td>
                <td className={`num ${pnlClass(a.unrealizedPnl)}`}>{fmtMoney(a.unrealizedPnl, { signed: true, grouped: true })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {venues.length === 0 && <div className="muted">No account figures yet.</div>}
      <label className="menu-sum">
        <span>Header sums in</span>
        <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <p className="muted menu-note">
        {totals
          ? `The header adds ${totals.venues.join(', ')}: the selected venue's kind of money (live never mixes with paper or demo).`
          : `The header adds the ${live ? 'live venues' : 'paper and demo venues'} with figures in ${currency}: none has any yet.`}
        {totals && totals.otherCurrency.length > 0 && ` Not added (another currency): ${totals.otherCurrency.map((o) => `${o.venue} (${o.currency})`).join(', ')}.`}
      </p>
    </div>
  );
}
