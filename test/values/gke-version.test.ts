import { ConstructMessages } from '../../src/errors';
import { GkeVersion } from '../../src/values/gke-version';
import { errorOf } from '../_helpers-constructs';

describe('GkeVersion', () => {
  test('parses the GKE form', () => {
    const v = GkeVersion.parse('1.27.3-gke.100');
    expect([v.major, v.minor, v.patch, v.gkeBuild]).toEqual([1, 27, 3, 100]);
    expect(String(GkeVersion.parse('v1.21.0-gke.1000'))).toBe('1.21.0-gke.1000');
  });

  test('compares numerically, including the gke build number', () => {
    const threshold = GkeVersion.parse('1.21.0-gke.1000');
    expect(GkeVersion.parse('1.21.0-gke.999').isAtLeast(threshold)).toBe(false);
    expect(GkeVersion.parse('1.21.0-gke.1000').isAtLeast(threshold)).toBe(true);
    expect(GkeVersion.parse('1.21.0-gke.10000').isAtLeast(threshold)).toBe(true);
    expect(GkeVersion.parse('1.20.15-gke.9999').isAtLeast(threshold)).toBe(false);
    expect(GkeVersion.parse('1.9.0-gke.5000').isAtLeast(threshold)).toBe(false);
    expect(GkeVersion.parse('1.100.0-gke.1').isAtLeast(threshold)).toBe(true);
    expect(GkeVersion.parse('2.0.0-gke.0').compare(threshold)).toBeGreaterThan(0);
  });

  test.each(['1.27', '1.27.3', '1.27.3-gke', 'latest', '1.27.3-gke.x', '01.27.3-gke.1', ''])('fails on "%s"', (text) => {
    expect(errorOf(() => GkeVersion.parse(text)).message).toBe(`GkeVersion.parse: ${ConstructMessages.gkeVersion(text)}`);
    expect(GkeVersion.tryParse(text)).toBeUndefined();
  });
});
