/**
 * Log-in guessing is slowed down, never turned into a lock-out of the real person, and an office
 * behind one address is not stopped by its own log-ins. Requests come from several loopback
 * addresses (127.0.0.x), each a different client as the API sees it.
 *
 *   - only failures count; a success clears that account's failures from that address;
 *   - an account's failures slow down further tries from addresses it never signed in from
 *     (an exponential wait, 429 with Retry-After), not from the addresses it did;
 *   - an address's failures (password spraying) slow down that address, except for accounts
 *     that signed in from it before.
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashPassword } from '../../auth/passwords';
import { createUser } from '../../db/directory';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve } from '../support/http';
import { PASSWORD } from '../support/world';

let h: ApiHarness;
let passwordHash: string;

interface Answer {
  status: number;
  retryAfter: number | null;
  body: any;
}

/** A log-in sent from `address` (a loopback address of this machine). */
function loginFrom(address: string, username: string, password: string, baseUrl = h.http.baseUrl, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(`${baseUrl}/api/auth/login`);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: address, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter === undefined ? null : Number(retryAfter), body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let addresses = 10;
/** A loopback address no earlier test used. */
const freshAddress = () => `127.0.0.${++addresses}`;

async function person(username: string): Promise<string> {
  const row = await createUser(h.database.db, 'fixture', { username, displayName: username, role: 'supervisor', regionId: h.world.a.county.id, passwordHash });
  return row.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectSlowedDown(res: Answer) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body).toMatchObject({ status: 429, type: 'urn:duban:problem:too-many-requests' });
  expect(Number.isInteger(res.retryAfter) && res.retryAfter! > 0, String(res.retryAfter)).toBe(true);
}

beforeAll(async () => {
  h = await startApiHarness('login-throttle');
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => h?.stop());

describe('an attack on the admin', () => {
  it('slows the attacker down more with each failure, while the admin signs in from a known address', async () => {
    const office = freshAddress();
    const attacker = freshAddress();
    expect((await loginFrom(office, 'admin', PASSWORD)).status).toBe(200);

    // Twenty quick guesses: the first few are checked and refused, then the attacker must wait.
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let i = 1; i <= 20; i++) {
      last = await loginFrom(attacker, 'admin', `guess-${i}`);
      statuses.push(last.status);
      if (last.status === 429) expectSlowedDown(last);
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    // Guessing after each wait is checked again, and each wait is longer than the one before.
    const waits: number[] = [];
    for (let round = 0; round < 2; round++) {
      await sleep(last!.retryAfter! * 1000 + 100);
      expect((await loginFrom(attacker, 'admin', `patient-${round}`)).status).toBe(401);
      last = await loginFrom(attacker, 'admin', `hasty-${round}`);
      expectSlowedDown(last);
      waits.push(last.retryAfter!);
    }
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    // The right password from the attacker's address is not even tried while slowed down: the
    // answer tells the attacker nothing.
    const right = await loginFrom(attacker, 'admin', PASSWORD);
    expectSlowedDown(right);
    expect(right.body).toEqual(last!.body);

    // The admin is not locked out: the right password from the office works, and a typo there
    // is an ordinary 401.
    expect((await loginFrom(office, 'admin', 'a typo')).status).toBe(401);
    const admin = await loginFrom(office, 'admin', PASSWORD);
    expect(admin.status, JSON.stringify(admin.body)).toBe(200);
    expect(admin.body.user.username).toBe('admin');
  });

  it('grows the wait exponentially, and a guess after the wait is checked again', async () => {
    const username = `guessed-${randomBytes(3).toString('hex')}`;
    await person(username);
    const attacker = freshAddress();
    for (let i = 1; i <= 5; i++) expect((await loginFrom(attacker, username, `guess-${i}`)).status).toBe(401);
    const first = await loginFrom(attacker, username, 'guess-6');
    expectSlowedDown(first);
    await sleep(first.retryAfter! * 1000 + 100);
    // After the wait one more guess is checked (and refused)…
    expect((await loginFrom(attacker, username, 'guess-7')).status).toBe(401);
    // …and the next wait is longer.
    const second = await loginFrom(attacker, username, 'guess-8');
    expectSlowedDown(second);
    expect(second.retryAfter!).toBeGreaterThan(first.retryAfter!);
    // The account is slowed down from every address it never signed in from, in the same way
    // whether or not it exists (no hint which names are real).
    const elsewhere = await loginFrom(freshAddress(), username, PASSWORD);
    expectSlowedDown(elsewhere);
    const nobody = `nobody-${randomBytes(3).toString('hex')}`;
    const stranger = freshAddress();
    for (let i = 1; i <= 5; i++) expect((await loginFrom(stranger, nobody, `guess-${i}`)).status).toBe(401);
    const ghost = await loginFrom(stranger, nobody, 'guess-6');
    expectSlowedDown(ghost);
    expect(ghost.body).toEqual(first.body);
  });
});

describe('an office behind one address', () => {
  it('lets 50 people sign in from one address within a minute', async () => {
    const office = freshAddress();
    const names = Array.from({ length: 50 }, (_, i) => `office-${i}-${randomBytes(2).toString('hex')}`);
    for (const name of names) await person(name);
    const started = Date.now();
    const statuses: number[] = [];
    for (const [i, name] of names.entries()) {
      // A few mistype first: ordinary failures, far below the address's limit.
      if (i % 10 === 0) expect((await loginFrom(office, name, 'mistyped')).status).toBe(401);
      statuses.push((await loginFrom(office, name, PASSWORD)).status);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('lets one person sign in 30 times in a row (the README’s login() helper, used often)', async () => {
    const name = `often-${randomBytes(3).toString('hex')}`;
    await person(name);
    const desk = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await loginFrom(desk, name, PASSWORD)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

describe('failures are still limited', () => {
  it('slows down one account guessed from one address, and a success there clears its failures', async () => {
    const name = `typo-${randomBytes(3).toString('hex')}`;
    await person(name);
    const desk = freshAddress();
    expect((await loginFrom(desk, name, PASSWORD)).status).toBe(200);
    for (let i = 1; i <= 4; i++) expect((await loginFrom(desk, name, `typo-${i}`)).status).toBe(401);
    expect((await loginFrom(desk, name, PASSWORD)).status).toBe(200);
    // Counted afresh after the success: four more typos are plain 401s…
    for (let i = 1; i <= 5; i++) expect((await loginFrom(desk, name, `typo-${i}`)).status).toBe(401);
    // …but guessing on from a known address is slowed down too.
    expectSlowedDown(await loginFrom(desk, name, 'typo-6'));
  });

  it('slows down an address spraying one password over many accounts, except for accounts at home there', async () => {
    const office = freshAddress();
    const regular = `regular-${randomBytes(3).toString('hex')}`;
    const newcomer = `newcomer-${randomBytes(3).toString('hex')}`;
    await person(regular);
    await person(newcomer);
    expect((await loginFrom(office, regular, PASSWORD)).status).toBe(200);
    // Start on a fresh minute so the 30 failures fall in one window.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await sleep(left + 50);
    for (let i = 1; i <= 30; i++) expect((await loginFrom(office, `spray-${i}-${randomBytes(2).toString('hex')}`, 'Summer2026!')).status).toBe(401);
    const sprayed = await loginFrom(office, `spray-31-${randomBytes(2).toString('hex')}`, 'Summer2026!');
    expectSlowedDown(sprayed);
    expect(sprayed.retryAfter!).toBeLessThanOrEqual(60);
    // Someone who never signed in from here waits too, even with the right password…
    expectSlowedDown(await loginFrom(office, newcomer, PASSWORD));
    // …but the people who work here still get in.
    expect((await loginFrom(office, regular, PASSWORD)).status).toBe(200);
    // Other addresses are not affected.
    expect((await loginFrom(freshAddress(), newcomer, PASSWORD)).status).toBe(200);
  });

  it('counts failures across API processes: guesses spread over two servers add up', async () => {
    const second = await serve(createApp(h.deps));
    try {
      const name = `spread-${randomBytes(3).toString('hex')}`;
      await person(name);
      const attacker = freshAddress();
      for (let i = 1; i <= 5; i++) expect((await loginFrom(attacker, name, `guess-${i}`, i % 2 ? second.baseUrl : undefined)).status).toBe(401);
      expectSlowedDown(await loginFrom(attacker, name, 'guess-6', second.baseUrl));
      expectSlowedDown(await loginFrom(attacker, name, 'guess-7'));
    } finally {
      await second.close();
    }
  });
});

describe('behind a proxy', () => {
  const knownAddresses = async (userId: string) =>
    (await h.database.pool.query<{ address: string }>('select address from login_addresses where user_id = $1 order by address', [userId])).rows.map((r) => r.address);

  it('counts by the address a trusted proxy names, and ignores the header from anyone else', async () => {
    const direct = await person(`direct-${randomBytes(3).toString('hex')}`);
    const proxied = await person(`proxied-${randomBytes(3).toString('hex')}`);
    const directName = (await h.database.pool.query('select username from users where id = $1', [direct])).rows[0].username;
    const proxiedName = (await h.database.pool.query('select username from users where id = $1', [proxied])).rows[0].username;
    const forwarded = { 'x-forwarded-for': '203.0.113.7' };

    // Not configured: a client cannot pick its own address by sending the header.
    const caller = freshAddress();
    expect((await loginFrom(caller, directName, PASSWORD, h.http.baseUrl, forwarded)).status).toBe(200);
    expect(await knownAddresses(direct)).toEqual([caller]);

    // The loopback proxy is trusted: the client is the one it names.
    const behind = await serve(createApp({ ...h.deps, trustProxy: ['loopback'] }));
    try {
      expect((await loginFrom(freshAddress(), proxiedName, PASSWORD, behind.baseUrl, forwarded)).status).toBe(200);
      expect(await knownAddresses(proxied)).toEqual(['203.0.113.7']);
    } finally {
      await behind.close();
    }
  });
});
