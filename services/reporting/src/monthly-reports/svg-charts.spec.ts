import { horizontalBarChart, niceMax, pieChart, stackedBarChart } from './svg-charts';

describe('svg charts', () => {
  it('escapes every text drawn, so data can never become markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const svgs = [
      horizontalBarChart({ title: evil, color: '#000', items: [{ label: evil, value: 3 }] }).value,
      pieChart({ title: 't', slices: [{ label: evil, value: 1, color: '#000' }] }).value,
      stackedBarChart({ title: 't', labels: [evil], series: [{ name: evil, color: '#000' }], values: [[2]] }).value,
    ];
    for (const svg of svgs) {
      expect(svg).not.toContain('<img');
      expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    }
  });

  it('scales bars to a round maximum', () => {
    expect([0, 1, 3, 7, 10, 11, 260].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 500]);
    const svg = stackedBarChart({ title: 't', labels: ['1', '2'], series: [{ name: 'a', color: '#111' }], values: [[5, 10]] }).value;
    // plot height 166 px: 10 of 10 fills it, 5 half of it
    expect(svg).toMatch(/height="166"/);
    expect(svg).toMatch(/height="83"/);
  });

  it('draws a full circle for a single slice and an empty one for no data', () => {
    expect(pieChart({ title: 't', slices: [{ label: 'a', value: 4, color: '#123456' }] }).value).toContain('<circle cx="80" cy="80" r="74" fill="#123456"/>');
    expect(pieChart({ title: 't', slices: [{ label: 'a', value: 0, color: '#123456' }] }).value).toContain('fill="#eee"');
  });
});
