/** Number formatting shared by reason texts and the renderers, so a number reads the same everywhere. */

/** 24,812 — hand-rolled because toLocaleString (ICU) costs microseconds per call, and a sweep formats millions. */
export function int(value: number): string {
  const rounded = Math.round(value);
  if (!Number.isFinite(rounded)) return '–';
  if (Math.abs(rounded) >= 1e21) return rounded.toLocaleString('en-US');
  const digits = String(Math.abs(rounded));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return rounded < 0 ? `-${out}` : out;
}

/** Two decimals under 10, one under 100, none above: 1.02, 13.8, 1,800. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  return abs >= 100 ? int(value) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function pct(share: number): string {
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** 28.8M, 1.2k, 950. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}
