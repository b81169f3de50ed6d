/**
 * The demo's photos of a distribution box (配电箱), drawn rather than shipped: as found (door
 * open, wires bare, no sign) and after rectification (closed, locked, a warning sign). Shapes
 * only, no lettering, so nothing depends on the fonts of the machine that seeds.
 */
import sharp from 'sharp';

const WALL = '<rect width="640" height="480" fill="#c9c3b6"/><rect y="400" width="640" height="80" fill="#8d877b"/>';
const BOX = '<rect x="200" y="90" width="240" height="300" rx="6" fill="#6b7780" stroke="#39424a" stroke-width="6"/>';

const AS_FOUND = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">${WALL}${BOX}
  <rect x="222" y="112" width="196" height="256" fill="#23292e"/>
  <path d="M 250 140 C 300 220, 260 280, 330 350" stroke="#d8342c" stroke-width="8" fill="none"/>
  <path d="M 300 140 C 340 200, 300 300, 380 340" stroke="#e2b203" stroke-width="8" fill="none"/>
  <path d="M 360 140 C 320 220, 380 260, 300 360" stroke="#2f7fd1" stroke-width="8" fill="none"/>
  <polygon points="440,90 560,130 560,420 440,390" fill="#7d8a94" stroke="#39424a" stroke-width="6"/>
</svg>`;

const RECTIFIED = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">${WALL}${BOX}
  <line x1="320" y1="96" x2="320" y2="384" stroke="#39424a" stroke-width="4"/>
  <rect x="330" y="230" width="30" height="34" rx="4" fill="#d4a72c" stroke="#5c4710" stroke-width="3"/>
  <path d="M 335 230 v -12 a 10 10 0 0 1 20 0 v 12" stroke="#5c4710" stroke-width="5" fill="none"/>
  <polygon points="260,130 300,200 220,200" fill="#f2c200" stroke="#1f1f1f" stroke-width="5"/>
  <polyline points="266,146 252,172 266,172 254,192" stroke="#1f1f1f" stroke-width="5" fill="none"/>
</svg>`;

const jpeg = (svg: string) => sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();

/** The box as found and as rectified, as JPEG. */
export async function distributionBoxPhotos(): Promise<{ asFound: Buffer; rectified: Buffer }> {
  const [asFound, rectified] = await Promise.all([jpeg(AS_FOUND), jpeg(RECTIFIED)]);
  return { asFound, rectified };
}
