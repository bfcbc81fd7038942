import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lineChartSvg, niceTicks } from '../../src/report/line-chart.js';

describe('SVG line chart', () => {
  it.each([
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0.5, 0.95, [0.5, 0.6, 0.7, 0.8, 0.9, 1]],
    [0.13, 0.9933, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [3, 3, [2.7, 2.8, 2.9, 3, 3.1, 3.2, 3.3]],
  ])('ticks for [%s, %s] are round and cover the range', (lo, hi, ticks) => {
    expect(niceTicks(lo, hi)).toEqual(ticks);
  });

  it('escapes names from the model (markup and control characters) so that the SVG stays well-formed', () => {
    const svg = lineChartSvg({
      title: 'a & b',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: '<script>alert(1)</script>', points: [[0, 1], [0.5, 0.9]] },
        { name: 'bad\u0001name"', points: [[0, 1], [0.5, NaN], [0.9, 0.2]] },
      ],
    });
    expect(svg).not.toContain('<script>');
    const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.read()); print("ok")'], { input: svg, encoding: 'utf8' });
    expect(py.stdout.trim()).toBe('ok');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('bad\\u0001name&quot;');
  });
});
