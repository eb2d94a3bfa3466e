// Minimal live line chart on <canvas>, devicePixelRatio aware. No dependencies.
export class LineChart {
  constructor(canvas, { points = 120, min = 0, max = null, color = '#2f6fed', unit = '', decimals = 1 } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.points = points;
    this.min = min;
    this.max = max;
    this.color = color;
    this.unit = unit;
    this.decimals = decimals;
    this.values = [];
    this.ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => this.draw()) : null;
    if (this.ro) this.ro.observe(canvas);
  }

  push(v) {
    this.values.push(Number.isFinite(v) ? v : null);
    if (this.values.length > this.points) this.values.shift();
    this.draw();
  }

  clear() { this.values = []; this.draw(); }

  draw() {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const hgt = c.clientHeight;
    if (!w || !hgt) return;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hgt * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(hgt * dpr);
    }
    const g = this.ctx;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, hgt);
    const vals = this.values.filter((v) => v != null);
    const lo = this.min != null ? this.min : Math.min(...vals, 0);
    let hi = this.max != null ? this.max : Math.max(...vals, lo + 1);
    if (this.max == null) hi = niceCeil(hi);
    const pad = { l: 6, r: 6, t: 16, b: 6 };
    const x = (i) => pad.l + (i * (w - pad.l - pad.r)) / Math.max(1, this.points - 1);
    const y = (v) => pad.t + (1 - (v - lo) / (hi - lo || 1)) * (hgt - pad.t - pad.b);
    const style = getComputedStyle(c);
    g.strokeStyle = style.getPropertyValue('--grid') || 'rgba(128,128,128,.25)';
    g.lineWidth = 1;
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = 'rgba(128,128,128,.9)';
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
    }
    g.fillText(fmt(hi, this.decimals) + this.unit, pad.l + 2, 11);
    const off = this.points - this.values.length;
    g.beginPath();
    let started = false;
    this.values.forEach((v, i) => {
      if (v == null) { started = false; return; }
      const px = x(i + off);
      const py = y(v);
      if (!started) { g.moveTo(px, py); started = true; } else g.lineTo(px, py);
    });
    g.strokeStyle = this.color;
    g.lineWidth = 2;
    g.stroke();
    const lastV = vals[vals.length - 1];
    if (lastV != null) {
      g.fillStyle = this.color;
      g.font = '600 12px system-ui, sans-serif';
      const label = fmt(lastV, this.decimals) + this.unit;
      g.fillText(label, w - pad.r - g.measureText(label).width, 12);
    }
  }
}

function niceCeil(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v, d) {
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(d);
}
