/** The cost/delay frontier of one trace as a small standalone SVG (node-hours vs executor pending p95). */

export interface FrontierPoint {
  readonly label: string;
  readonly nodeHours: number;
  readonly pendingP95: number;
}

export interface FrontierSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly FrontierPoint[];
  /** Draw a line through the points (sorted by node-hours). */
  readonly line: boolean;
}

const W = 640;
const H = 400;
const M = { left: 60, right: 20, top: 30, bottom: 45 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function frontierSvg(title: string, series: readonly FrontierSeries[]): string {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.nodeHours);
  const ys = all.map((p) => p.pendingP95);
  const [x0, x1] = padded(Math.min(...xs), Math.max(...xs));
  const y1 = Math.max(10, ...ys) * 1.1;
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - (y / y1) * (H - M.top - M.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">node-hours</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">executor pending p95 (s)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const x = x0 + ((x1 - x0) * i) / 4;
    const y = (y1 * i) / 4;
    parts.push(
      `<text x="${px(x)}" y="${H - M.bottom + 15}" text-anchor="middle">${Math.round(x)}</text>`,
      `<text x="${M.left - 5}" y="${py(y) + 4}" text-anchor="end">${Math.round(y)}</text>`,
      `<line x1="${M.left}" y1="${py(y)}" x2="${W - M.right}" y2="${py(y)}" stroke="#eee"/>`,
    );
  }
  series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a.nodeHours - b.nodeHours);
    if (s.line && pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.map((p) => `${px(p.nodeHours).toFixed(1)},${py(p.pendingP95).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const p of pts)
      parts.push(
        `<circle cx="${px(p.nodeHours).toFixed(1)}" cy="${py(p.pendingP95).toFixed(1)}" r="4" fill="${s.color}"/>`,
        `<text x="${(px(p.nodeHours) + 6).toFixed(1)}" y="${(py(p.pendingP95) - 6).toFixed(1)}" fill="${s.color}">${esc(p.label)}</text>`,
      );
    parts.push(
      `<rect x="${W - M.right - 120}" y="${M.top + i * 16}" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${W - M.right - 105}" y="${M.top + i * 16 + 9}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function padded(lo: number, hi: number): [number, number] {
  const span = Math.max(1, hi - lo);
  return [lo - span * 0.08, hi + span * 0.12];
}
