/**
 * Which font files print the instruments: a bureau's licensed fonts by path (DOCUMENT_FONT_PATH,
 * DOCUMENT_TITLE_FONT_PATH), else Noto Serif SC (SIL Open Font License), which arrives with
 * `npm install` as whole TrueType files and is embedded as a subset of the glyphs a page uses.
 */
import { createRequire } from 'node:module';
import type { DocumentFonts } from './pdf';

const require = createRequire(import.meta.url);

export const DEFAULT_FONTS: DocumentFonts = {
  regular: require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf'),
};

/** The configured paths over the defaults; a title font not given follows the body font given. */
export function documentFonts(config: { DOCUMENT_FONT_PATH?: string; DOCUMENT_TITLE_FONT_PATH?: string }): DocumentFonts {
  const regular = config.DOCUMENT_FONT_PATH ?? DEFAULT_FONTS.regular;
  return { regular, bold: config.DOCUMENT_TITLE_FONT_PATH ?? (config.DOCUMENT_FONT_PATH ? regular : DEFAULT_FONTS.bold) };
}
