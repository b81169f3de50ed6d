import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXTENSION_POLICY,
  DEFAULT_POLICIES,
  HAZARD_GRADES,
  extensionPolicyOf,
  MAX_OFFSET_DAYS,
  RECIPIENT_ROLES,
  escalationStepSchema,
  hazardPolicySchema,
  type HazardPolicy,
} from '../../domain/policy';

const VALID: HazardPolicy = {
  reminderDaysBefore: [3, 1],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
  ],
};

/** The issues of a refused policy as [path, message] pairs. */
function issues(value: unknown): Array<[Array<string | number | symbol>, string]> {
  const result = hazardPolicySchema.safeParse(value);
  if (result.success) throw new Error('expected the policy to be refused');
  return result.error.issues.map((i) => [i.path, i.message]);
}

const paths = (value: unknown) => issues(value).map(([path]) => path);

describe('DEFAULT_POLICIES', () => {
  it('has a policy for each grade', () => {
    expect(Object.keys(DEFAULT_POLICIES).sort()).toEqual([...HAZARD_GRADES].sort());
  });

  it.each(HAZARD_GRADES)('the default %s policy is valid and parses to itself', (grade) => {
    expect(hazardPolicySchema.parse(DEFAULT_POLICIES[grade])).toEqual(DEFAULT_POLICIES[grade]);
  });

  it('urges a major hazard earlier and escalates it higher than a general one', () => {
    expect(Math.max(...DEFAULT_POLICIES.major.reminderDaysBefore)).toBeGreaterThan(Math.max(...DEFAULT_POLICIES.general.reminderDaysBefore));
    expect(DEFAULT_POLICIES.major.escalation.at(-1)?.recipientRole).toBe('city_leader');
    expect(DEFAULT_POLICIES.general.escalation.at(-1)?.recipientRole).toBe('county_leader');
  });
});

describe('hazardPolicySchema accepts', () => {
  it('a policy with rising steps', () => {
    expect(hazardPolicySchema.parse(VALID)).toEqual(VALID);
  });

  it('a policy with no reminders and no escalations', () => {
    expect(hazardPolicySchema.parse({ reminderDaysBefore: [], escalation: [] })).toEqual({ reminderDaysBefore: [], escalation: [] });
  });

  it('offsets of 1 and of MAX_OFFSET_DAYS (366)', () => {
    expect(MAX_OFFSET_DAYS).toBe(366);
    const p = { reminderDaysBefore: [1, 366], escalation: [{ afterDays: 366, level: 1, recipientRole: 'enterprise' }] };
    expect(hazardPolicySchema.parse(p)).toEqual(p);
  });

  it('every known recipient role', () => {
    for (const recipientRole of RECIPIENT_ROLES) {
      expect(escalationStepSchema.parse({ afterDays: 1, level: 1, recipientRole })).toEqual({ afterDays: 1, level: 1, recipientRole });
    }
  });
});

describe('hazardPolicySchema refuses', () => {
  it('duplicate reminder offsets, on path reminderDaysBefore', () => {
    expect(issues({ ...VALID, reminderDaysBefore: [3, 1, 3] })).toEqual([[['reminderDaysBefore'], 'reminder offsets must be distinct']]);
  });

  it('an escalation step no later than the one before, on path escalation.i.afterDays', () => {
    const escalation = [
      { afterDays: 1, level: 1, recipientRole: 'supervisor' },
      { afterDays: 5, level: 2, recipientRole: 'supervisor_chief' },
      { afterDays: 5, level: 3, recipientRole: 'county_leader' },
    ];
    expect(issues({ ...VALID, escalation })).toEqual([[['escalation', 2, 'afterDays'], 'escalation steps must come later one after another']]);
  });

  it('an escalation step earlier than the one before, on path escalation.i.afterDays', () => {
    const escalation = [
      { afterDays: 3, level: 1, recipientRole: 'supervisor' },
      { afterDays: 2, level: 2, recipientRole: 'supervisor_chief' },
    ];
    expect(paths({ ...VALID, escalation })).toEqual([['escalation', 1, 'afterDays']]);
  });

  it('an escalation level that does not rise, on path escalation.i.level', () => {
    const escalation = [
      { afterDays: 1, level: 2, recipientRole: 'supervisor' },
      { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
    ];
    expect(issues({ ...VALID, escalation })).toEqual([[['escalation', 1, 'level'], 'escalation levels must rise']]);
  });

  it('a falling level and an earlier step both at once, each on its own path', () => {
    const escalation = [
      { afterDays: 3, level: 2, recipientRole: 'supervisor' },
      { afterDays: 2, level: 1, recipientRole: 'supervisor' },
    ];
    expect(paths({ ...VALID, escalation })).toEqual([
      ['escalation', 1, 'afterDays'],
      ['escalation', 1, 'level'],
    ]);
  });

  it('an unknown recipient role, on path escalation.i.recipientRole', () => {
    const escalation = [{ afterDays: 1, level: 1, recipientRole: 'mayor' }];
    expect(paths({ ...VALID, escalation })).toEqual([['escalation', 0, 'recipientRole']]);
  });

  it('an unknown key on the policy (strict)', () => {
    const [[path, message]] = issues({ ...VALID, quietHours: true }) as [[unknown[], string]];
    expect(path).toEqual([]);
    expect(message).toContain('quietHours');
  });

  it('an unknown key on an escalation step (strict)', () => {
    const escalation = [{ afterDays: 1, level: 1, recipientRole: 'supervisor', channel: 'sms' }];
    const found = hazardPolicySchema.safeParse({ ...VALID, escalation });
    expect(found.success).toBe(false);
    expect(found.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['channel'], path: ['escalation', 0] }]);
  });

  it('a missing reminderDaysBefore or escalation', () => {
    expect(paths({ escalation: [] })).toEqual([['reminderDaysBefore']]);
    expect(paths({ reminderDaysBefore: [] })).toEqual([['escalation']]);
  });

  it('zero, negative, fractional and too large reminder offsets, each at its index', () => {
    expect(paths({ reminderDaysBefore: [0, -1, 1.5, 367, 2], escalation: [] })).toEqual([
      ['reminderDaysBefore', 0],
      ['reminderDaysBefore', 1],
      ['reminderDaysBefore', 2],
      ['reminderDaysBefore', 3],
    ]);
  });

  it('zero, negative, fractional and too large escalation offsets', () => {
    for (const afterDays of [0, -3, 2.5, 367]) {
      expect(paths({ reminderDaysBefore: [], escalation: [{ afterDays, level: 1, recipientRole: 'supervisor' }] })).toEqual([
        ['escalation', 0, 'afterDays'],
      ]);
    }
  });

  it('a level below 1 or above 20', () => {
    for (const level of [0, 21, 1.5]) {
      expect(paths({ reminderDaysBefore: [], escalation: [{ afterDays: 1, level, recipientRole: 'supervisor' }] })).toEqual([
        ['escalation', 0, 'level'],
      ]);
    }
  });

  it('more than ten reminders or ten escalation steps', () => {
    const reminders = Array.from({ length: 11 }, (_, i) => i + 1);
    expect(paths({ reminderDaysBefore: reminders, escalation: [] })).toEqual([['reminderDaysBefore']]);
    const steps = Array.from({ length: 11 }, (_, i) => ({ afterDays: i + 1, level: i + 1, recipientRole: 'supervisor' }));
    expect(paths({ reminderDaysBefore: [], escalation: steps })).toEqual([['escalation']]);
  });

  it('offsets given as strings', () => {
    expect(paths({ reminderDaysBefore: ['3'], escalation: [] })).toEqual([['reminderDaysBefore', 0]]);
  });
});

describe('the extension limits of a policy', () => {
  const EXT = { maxCount: 2, maxTotalDays: 30, minLeadDays: 1 };

  it('are optional: a policy without them parses to itself, no defaults added (stored policies predate them)', () => {
    expect(hazardPolicySchema.parse(VALID)).toEqual(VALID);
    expect(hazardPolicySchema.parse(VALID)).not.toHaveProperty('extension');
  });

  it('are stated explicitly in the shipped defaults, as the domain defaults', () => {
    for (const grade of HAZARD_GRADES) expect(DEFAULT_POLICIES[grade].extension).toEqual(DEFAULT_EXTENSION_POLICY);
  });

  it('accept the bounds: maxCount 0–10, maxTotalDays 0–365, minLeadDays 0–30', () => {
    for (const extension of [
      { maxCount: 0, maxTotalDays: 0, minLeadDays: 0 },
      { maxCount: 10, maxTotalDays: 365, minLeadDays: 30 },
      EXT,
    ]) {
      expect(hazardPolicySchema.parse({ ...VALID, extension })).toEqual({ ...VALID, extension });
    }
  });

  it('refuse values out of range or not whole, each on its path', () => {
    expect(paths({ ...VALID, extension: { maxCount: 11, maxTotalDays: 366, minLeadDays: 31 } })).toEqual([
      ['extension', 'maxCount'],
      ['extension', 'maxTotalDays'],
      ['extension', 'minLeadDays'],
    ]);
    expect(paths({ ...VALID, extension: { maxCount: -1, maxTotalDays: 1.5, minLeadDays: -1 } })).toEqual([
      ['extension', 'maxCount'],
      ['extension', 'maxTotalDays'],
      ['extension', 'minLeadDays'],
    ]);
  });

  it('refuse a missing or unknown key (strict)', () => {
    expect(paths({ ...VALID, extension: { maxCount: 2, maxTotalDays: 30 } })).toEqual([['extension', 'minLeadDays']]);
    expect(hazardPolicySchema.safeParse({ ...VALID, extension: { ...EXT, approver: 'chief' } }).success).toBe(false);
  });

  it('are the defaults where the policy has none, and the policy\u2019s own where it has them', () => {
    expect(extensionPolicyOf(VALID)).toEqual({ maxCount: 2, maxTotalDays: 30, minLeadDays: 1 });
    expect(extensionPolicyOf({ ...VALID, extension: { maxCount: 0, maxTotalDays: 0, minLeadDays: 0 } })).toEqual({ maxCount: 0, maxTotalDays: 0, minLeadDays: 0 });
  });
});
