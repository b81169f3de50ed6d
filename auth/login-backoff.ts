/**
 * How long a run of failed log-ins makes the next try wait (OWASP: slow guessing down rather
 * than lock the account, so an attacker cannot lock the real person out). A few failures are
 * free — people mistype — then each one doubles the wait, up to a ceiling. A run that has been
 * quiet long enough is forgotten.
 */
export interface Backoff {
  /** Failures in a run before any wait. */
  free: number;
  /** The first wait; each further failure doubles it. */
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  /** A run with no failure for this long starts again from nothing. */
  forgetAfterSeconds: number;
}

export const LOGIN_BACKOFF: Backoff = { free: 5, firstWaitSeconds: 1, maxWaitSeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };

/** An address where an account has not signed in for this long is a stranger to it again. */
export const KNOWN_ADDRESS_DAYS = 90;

export interface FailureRun {
  failures: number;
  lastFailedAt: Date;
}

/** The failures that still count at `now` (0 once the run is forgotten). */
export function failuresCounted(b: Backoff, run: FailureRun | undefined, now: number): number {
  if (!run || now - run.lastFailedAt.getTime() >= b.forgetAfterSeconds * 1000) return 0;
  return run.failures;
}

/** Whole seconds to wait before the next try is checked; 0: it may be checked now. */
export function waitSeconds(b: Backoff, run: FailureRun | undefined, now: number): number {
  const failures = failuresCounted(b, run, now);
  if (!run || failures < b.free) return 0;
  const wait = Math.min(b.firstWaitSeconds * 2 ** (failures - b.free), b.maxWaitSeconds) * 1000;
  const left = run.lastFailedAt.getTime() + wait - now;
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

/**
 * The client as log-in limits see it: an IPv4 address (also when mapped into IPv6), or an IPv6
 * /64 network — one household or office gets a whole /64 and could otherwise spray passwords
 * from a fresh address each try.
 */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0]!.toLowerCase();
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return bare;
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
