import { describe, expect, it } from 'vitest';
import { clientNetwork, failuresCounted, LOGIN_BACKOFF, waitSeconds, type Backoff } from '../../auth/login-backoff';

const b: Backoff = { free: 5, firstWaitSeconds: 1, maxWaitSeconds: 900, forgetAfterSeconds: 3600 };
const at = new Date('2026-03-01T08:00:00Z');
const t = (seconds: number) => at.getTime() + seconds * 1000;

describe('log-in back-off', () => {
  it('lets the first failures go without a wait', () => {
    expect(waitSeconds(b, undefined, t(0))).toBe(0);
    expect(waitSeconds(b, { failures: 4, lastFailedAt: at }, t(0))).toBe(0);
  });

  it('doubles the wait with each failure past the free ones, up to the ceiling', () => {
    expect([5, 6, 7, 8, 14, 15, 40].map((failures) => waitSeconds(b, { failures, lastFailedAt: at }, t(0)))).toEqual([1, 2, 4, 8, 512, 900, 900]);
  });

  it('counts the wait from the last failure, rounding up to whole seconds', () => {
    const run = { failures: 8, lastFailedAt: at };
    expect(waitSeconds(b, run, t(0.5))).toBe(8);
    expect(waitSeconds(b, run, t(7.2))).toBe(1);
    expect(waitSeconds(b, run, t(8))).toBe(0);
  });

  it('forgets a run after a quiet hour', () => {
    const run = { failures: 30, lastFailedAt: at };
    expect(failuresCounted(b, run, t(3599))).toBe(30);
    expect(failuresCounted(b, run, t(3600))).toBe(0);
    expect(waitSeconds(b, run, t(3600))).toBe(0);
  });

  it('never keeps anyone waiting longer than it takes to forget', () => {
    expect(LOGIN_BACKOFF.maxWaitSeconds).toBeLessThan(LOGIN_BACKOFF.forgetAfterSeconds);
  });
});

describe('the client a log-in comes from', () => {
  it('is an IPv4 address, also when mapped into IPv6', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const net = '2001:db8:0:12::/64';
    for (const a of ['2001:db8:0:12::1', '2001:0db8:0000:0012:abcd:ef01:2345:6789', '2001:DB8::12:0:0:0:9', '2001:db8:0:12:ffff::%eth0']) expect(clientNetwork(a), a).toBe(net);
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('2001:db8:0:13::1')).not.toBe(net);
  });
});
