/** Text cut to a length limit keeps whole characters: never half a surrogate pair. */
import { describe, expect, it } from 'vitest';
import { clipText, UNSTORABLE } from '../../domain/storable-text';

describe('clipText', () => {
  it('cuts on code points: an emoji or a CJK Extension B character at the cut stays whole or goes whole', () => {
    const before = '无法读取'.repeat(49) + '表格'; // 198 UTF-16 units, each a whole character
    for (const astral of ['😀', '𠀀', '𪚥']) {
      const text = `${before}${astral}${astral}尾`;
      // A cut by UTF-16 units at 199 would keep the first half of the first astral character.
      expect(UNSTORABLE.test(text.slice(0, 199))).toBe(true);
      const cut = clipText(text, 199);
      expect(cut).toBe(`${before}${astral}`);
      expect(UNSTORABLE.test(cut)).toBe(false);
      expect(JSON.parse(JSON.stringify(cut))).toBe(cut);
      expect(() => encodeURIComponent(cut)).not.toThrow();
      expect(clipText(text, 200)).toBe(`${before}${astral}${astral}`);
      expect(clipText(text, 1000)).toBe(text);
    }
  });

  it('leaves short text as it is and counts a lone surrogate as one character', () => {
    expect(clipText('', 5)).toBe('');
    expect(clipText('隐患', 2)).toBe('隐患');
    expect(clipText('隐患名称', 0)).toBe('');
    expect(clipText('\ud83d尾巴', 2)).toBe('\ud83d尾');
  });
});
