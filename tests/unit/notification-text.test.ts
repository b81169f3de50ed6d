import { describe, expect, it } from 'vitest';
import { escalationText, reminderText } from '../../domain/notification-text';

describe('reminderText', () => {
  it('names the hazard, the deadline and the days left, in Chinese', () => {
    expect(reminderText('配电箱未接地', '2026-03-10', 3)).toBe(
      '【整改提醒】隐患“配电箱未接地”的整改期限为 2026-03-10，距期限还有 3 天，请按期完成整改并提交复查申请。',
    );
  });

  it('uses the numbers it is given', () => {
    const text = reminderText('消防通道堵塞', '2027-01-01', 1);
    expect(text).toContain('“消防通道堵塞”');
    expect(text).toContain('2027-01-01');
    expect(text).toContain('还有 1 天');
  });
});

describe('escalationText', () => {
  it('names the level, the hazard, the deadline and the days overdue, in Chinese', () => {
    expect(escalationText('配电箱未接地', '2026-03-10', 7, 3)).toBe(
      '【逾期督办·三级】隐患“配电箱未接地”整改期限 2026-03-10 已逾期 7 天，请督促整改落实。',
    );
  });

  it.each([
    [1, '一级'],
    [2, '二级'],
    [3, '三级'],
    [4, '四级'],
    [5, '五级'],
  ])('calls level %i %s', (level, name) => {
    expect(escalationText('t', '2026-03-10', 1, level)).toContain(`【逾期督办·${name}】`);
  });

  it('falls back to the number for levels beyond five', () => {
    expect(escalationText('t', '2026-03-10', 30, 6)).toBe('【逾期督办·6级】隐患“t”整改期限 2026-03-10 已逾期 30 天，请督促整改落实。');
    expect(escalationText('t', '2026-03-10', 30, 20)).toContain('【逾期督办·20级】');
  });
});
