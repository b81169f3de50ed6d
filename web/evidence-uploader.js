// @ts-check
/**
 * Taking evidence from a phone or a desk: a photo straight from the camera (`capture`), or
 * photos and PDFs chosen from the device. What is chosen is shown first (pictures previewed from
 * object URLs, never sent anywhere to be shown), can be taken out again, and is uploaded with one
 * button, its progress told as the bytes go. A file the API would refuse for its type, size or
 * emptiness is said at once; the API checks the bytes again and its refusal is said in words.
 */
import { api, asProblem, newIdempotencyKey } from './api.js';
import { append, h, replace, uid } from './dom.js';
import { formatSize } from './format.js';
import { t } from './i18n.js';
import { FormState } from './ui.js';

/** What the API accepts, as the pickers offer it. */
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
export const EVIDENCE_LIMITS = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 5 };

/**
 * Why a chosen file would be refused, before sending it; null when it may go.
 * @param {File} file
 */
export function localRefusal(file) {
  if (file.type && !EVIDENCE_TYPES.includes(file.type)) return t('upload.badType', { name: file.name });
  if (file.size > EVIDENCE_LIMITS.maxFileBytes) return t('upload.tooLarge', { name: file.name, max: formatSize(EVIDENCE_LIMITS.maxFileBytes) });
  if (file.size === 0) return t('upload.empty', { name: file.name });
  return null;
}

/**
 * The upload part of a form. `onUploaded()` is called after each successful upload (the caller
 * fetches the files as they now are); `onRefused(state, problem)` shows a refusal (a 409 offers
 * to reload the page).
 * @param {{hazardId: string, onUploaded: (items: import('./types').EvidenceFile[]) => unknown, onRefused: (state: FormState, problem: import('./api.js').ApiProblem) => void}} options
 */
export function evidenceUploader({ hazardId, onUploaded, onRefused }) {
  /** @type {{file: File, url: string | null}[]} */
  let staged = [];
  const part = h('fieldset', { class: 'upload-part field' });
  const state = new FormState(part, null, '');
  const hintId = uid('upload-hint');

  /**
   * @param {string} labelText
   * @param {import('./types').Props} props
   * @param {string} className
   */
  const picker = (labelText, props, className) => {
    const id = uid('upload');
    const input = h('input', { id, type: 'file', class: 'visually-hidden-input', 'aria-describedby': hintId, ...props });
    input.addEventListener('change', () => {
      stage([...(input.files ?? [])]);
      input.value = '';
    });
    return { input, wrap: h('div', { class: ['upload-picker', className] }, input, h('label', { for: id, class: 'button button-secondary' }, labelText)) };
  };
  // A phone opens its camera for this one; a desktop offers its file chooser.
  const camera = picker(t('upload.camera'), { accept: 'image/*', capture: 'environment', name: 'photo' }, 'upload-camera');
  const chooser = picker(t('upload.choose'), { accept: EVIDENCE_TYPES.join(','), multiple: true, name: 'files' }, 'upload-choose');
  state.add('files', { wrap: part, error: h('p', { class: 'field-error', hidden: true }), control: chooser.input });

  const list = h('ul', { class: 'staged-files', 'aria-label': t('upload.staged') });
  const progress = h('progress', { class: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': t('upload.progressLabel') });
  const status = h('p', { class: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button button-primary upload-button', disabled: true, onClick: () => upload() }, t('upload.button'));

  /** @param {File[]} files */
  function stage(files) {
    if (!files.length) return;
    state.clear();
    status.textContent = '';
    /** @type {string[]} */
    const refusals = [];
    for (const file of files) {
      const why = localRefusal(file);
      if (why) refusals.push(why);
      else if (staged.length >= EVIDENCE_LIMITS.maxFiles) refusals.push(t('upload.tooMany', { max: EVIDENCE_LIMITS.maxFiles }));
      else staged.push({ file, url: file.type.startsWith('image/') ? URL.createObjectURL(file) : null });
    }
    if (refusals.length) state.show({ status: -1, title: t('upload.refused'), errors: [...new Set(refusals)].map((message) => ({ field: 'files', message })) });
    show();
  }

  /** @param {{file: File, url: string | null}} entry */
  function unstage(entry) {
    if (entry.url) URL.revokeObjectURL(entry.url);
    staged = staged.filter((s) => s !== entry);
    show();
  }

  function show() {
    replace(
      list,
      staged.map((entry) =>
        h(
          'li',
          { class: 'staged-file', 'data-name': entry.file.name },
          entry.url
            ? h('img', { class: 'staged-preview', src: entry.url, alt: t('upload.previewAlt', { name: entry.file.name }) })
            : h('span', { class: 'staged-preview staged-pdf', 'aria-hidden': 'true' }, 'PDF'),
          h('span', { class: 'staged-meta' }, h('span', { class: 'staged-name' }, entry.file.name), h('span', { class: 'muted small' }, formatSize(entry.file.size))),
          h('button', { type: 'button', class: 'button button-link', onClick: () => unstage(entry) }, t('upload.remove', { name: entry.file.name })),
        ),
      ),
    );
    list.hidden = staged.length === 0;
    button.disabled = staged.length === 0;
    button.textContent = staged.length ? t('upload.buttonCount', { count: staged.length }) : t('upload.button');
  }

  async function upload() {
    if (!staged.length) return;
    const files = staged.map((s) => s.file);
    state.clear();
    button.disabled = true;
    camera.input.disabled = chooser.input.disabled = true;
    part.setAttribute('aria-busy', 'true');
    progress.hidden = false;
    progress.value = 0;
    status.textContent = t('upload.uploading', { count: files.length });
    try {
      const { items } = await api.uploadEvidenceWithProgress(
        hazardId,
        files,
        (sent, total) => {
          if (!total) return;
          const percent = Math.min(100, Math.round((sent / total) * 100));
          progress.value = percent;
          status.textContent = t('upload.uploadingPercent', { count: files.length, percent });
        },
        newIdempotencyKey(),
      );
      for (const s of staged) if (s.url) URL.revokeObjectURL(s.url);
      staged = [];
      show();
      status.textContent = t('upload.done', { count: items.length });
      await onUploaded(items);
    } catch (thrown) {
      const problem = asProblem(thrown);
      status.textContent = '';
      onRefused(state, problem);
    } finally {
      progress.hidden = true;
      part.setAttribute('aria-busy', 'false');
      camera.input.disabled = chooser.input.disabled = false;
      button.disabled = staged.length === 0;
    }
  }

  list.hidden = true;
  append(part, [
    h('legend', null, t('upload.label')),
    h('p', { class: 'hint', id: hintId }, t('upload.hint', { max: EVIDENCE_LIMITS.maxFiles, size: formatSize(EVIDENCE_LIMITS.maxFileBytes) })),
    h('div', { class: 'upload-pickers' }, camera.wrap, chooser.wrap),
    list,
    h('div', { class: 'upload-actions' }, button, progress),
    status,
    state.problemBox,
  ]);
  return part;
}
