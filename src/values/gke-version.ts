import { ConstructMessages, NetproofError } from '../errors';
import { compareGkeVersions, parseGkeVersion } from '../model/gke';

/**
 * A GKE cluster version such as `1.27.3-gke.100`, compared numerically including the GKE build
 * number: `GkeVersion.parse('1.21.0-gke.1000').isAtLeast(GkeVersion.parse('1.20.9-gke.2000'))`.
 */
export class GkeVersion {
  /** Parses `MAJOR.MINOR.PATCH-gke.BUILD` (an optional leading `v` is accepted). */
  public static parse(text: string, where = 'GkeVersion.parse'): GkeVersion {
    const v = parseGkeVersion(text);
    if (!v) throw new NetproofError(where, ConstructMessages.gkeVersion(String(text)));
    return new GkeVersion(v[0], v[1], v[2], v[3]);
  }

  /** Parses, or returns undefined when the text is not a GKE version. */
  public static tryParse(text: string): GkeVersion | undefined {
    try { return GkeVersion.parse(text); } catch { return undefined; }
  }

  private constructor(
    public readonly major: number,
    public readonly minor: number,
    public readonly patch: number,
    /** The `gke.N` build number. */
    public readonly gkeBuild: number,
  ) {}

  /** Negative when this is older than `other`, 0 when equal, positive when newer. */
  public compare(other: GkeVersion): number {
    return compareGkeVersions([this.major, this.minor, this.patch, this.gkeBuild], [other.major, other.minor, other.patch, other.gkeBuild]);
  }

  public isAtLeast(other: GkeVersion): boolean { return this.compare(other) >= 0; }

  public toString(): string { return `${this.major}.${this.minor}.${this.patch}-gke.${this.gkeBuild}`; }
}
