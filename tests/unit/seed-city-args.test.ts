/**
 * The city seed's command line: `--help` asks for the usage only, and an unknown option or a bad
 * number is refused with a message naming it (SeedRefused, printed without a stack), not thrown
 * as parseArgs' TypeError.
 */
import { describe, expect, it } from 'vitest';
import { parseSeedArgs, SEED_CITY_USAGE, SeedRefused } from '../../scripts/seed-city';

describe('the city seed’s arguments', () => {
  it('--help asks for the usage only', () => {
    expect(parseSeedArgs(['--help'])).toBeNull();
    expect(SEED_CITY_USAGE).toMatch(/--hazards N/);
  });

  it('an unknown option is refused by name, with the usage', () => {
    let refused: unknown;
    try {
      parseSeedArgs(['--hazzards', '10']);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(SeedRefused);
    expect((refused as Error).message).toMatch(/--hazzards/);
    expect((refused as Error).message).toContain(SEED_CITY_USAGE);
  });

  it('a number out of range is refused by name', () => {
    expect(() => parseSeedArgs(['--hazards', '2.5'])).toThrow(/--hazards must be a whole number from 0 to 2000000 \(not 2.5\)/);
  });

  it('the defaults are the bureau’s city of 480,000 hazards', () => {
    expect(parseSeedArgs([])).toMatchObject({ seed: 1, hazards: 480_000, force: false, batch: 2000 });
  });
});
