// @ts-check
/**
 * 整改前后对比: the photos of the hazard as found (before) beside those of the rectification
 * submitted in this round (after), for the reviewer to compare. The pictures are previews the
 * server made (never the uploaded bytes); each links to nothing but offers the original as a
 * download elsewhere on the page.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { formatDateTime } from './format.js';
import { t } from './i18n.js';

const isPhoto = (/** @type {import('./types').EvidenceFile} */ f) => typeof f.mediaType === 'string' && f.mediaType.startsWith('image/');

/** @param {import('./types').EvidenceFile} file */
function figure(file) {
  const img = h('img', { alt: t('photos.alt', { name: file.originalName }), width: 320, height: 240, loading: 'lazy', decoding: 'async', class: 'photo-thumb' });
  const fig = h('figure', { class: 'photo', 'data-evidence-id': file.id }, img, h('figcaption', null, file.originalName, ' · ', formatDateTime(file.capturedAt ?? file.uploadedAt)));
  api.thumbnail(file, 320).then(
    (url) => {
      img.src = url;
      fig.dataset.loaded = 'true';
    },
    () => {
      fig.dataset.loaded = 'failed';
      fig.replaceChildren(h('p', { class: 'muted' }, t('photos.noPreview', { name: file.originalName })));
    },
  );
  return fig;
}

/**
 * @param {'before' | 'after'} phase
 * @param {import('./types').EvidenceFile[]} files
 */
function column(phase, files) {
  return h(
    'div',
    { class: 'photo-column', 'data-phase': phase },
    h('h4', null, t(`photos.${phase}Title`)),
    files.length ? files.map(figure) : h('p', { class: 'muted' }, t(`photos.${phase}None`)),
  );
}

/**
 * The comparison for the round under review, or null when there is no photo at all.
 * @param {import('./types').Hazard} hz
 * @param {import('./types').EvidenceFile[]} files
 */
export function photoComparison(hz, files) {
  const before = files.filter((f) => isPhoto(f) && f.phase === 'before');
  const after = files.filter((f) => isPhoto(f) && f.phase !== 'before' && f.submittedRound === hz.round);
  if (!before.length && !after.length) return null;
  return h('div', { class: 'photo-compare' }, h('h3', null, t('photos.compare')), h('div', { class: 'photo-columns' }, column('before', before), column('after', after)));
}
