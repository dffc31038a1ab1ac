// PDF preview in the page: pdf.js (vendored, /static/vendor/pdfjs) draws each page into a canvas.
// The PDF is fetched from this site only (CSP connect-src 'self'); the worker is served from /static too.
import * as pdfjs from '/static/vendor/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/static/vendor/pdfjs/pdf.worker.min.mjs';
const OPTIONS = { cMapUrl: '/static/vendor/pdfjs/cmaps/', cMapPacked: true, isEvalSupported: false };

async function render(container, src) {
  const pages = container.querySelector('.pdf-pages');
  const status = container.querySelector('.pdf-preview-status');
  pages.replaceChildren();
  status.textContent = '正在加载…';
  const response = await fetch(src, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(String(response.status));
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(await response.arrayBuffer()), ...OPTIONS }).promise;
  const width = Math.min(pages.clientWidth || 800, 900);
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const page = await pdf.getPage(n);
    const scale = width / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
    const canvas = document.createElement('canvas');
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    canvas.style.width = `${width}px`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `第 ${n} 页`);
    pages.append(canvas);
    await page.render({ canvas, viewport }).promise;
    status.textContent = `第 ${n} / ${pdf.numPages} 页`;
  }
  status.textContent = `共 ${pdf.numPages} 页`;
  container.dataset.ready = 'true';
}

document.addEventListener('click', (event) => {
  const dialog = document.getElementById('pdf-preview');
  if (!dialog) return;
  if (event.target.closest('[data-pdf-close]')) { dialog.close(); return; }
  const button = event.target.closest('[data-pdf-src]');
  if (!button) return;
  delete dialog.dataset.ready;
  dialog.querySelector('#pdf-preview-title').textContent = `预览: ${button.dataset.pdfTitle}`;
  dialog.showModal();
  render(dialog, button.dataset.pdfSrc).catch(() => {
    dialog.querySelector('.pdf-preview-status').textContent = '无法显示该PDF, 请下载后查看';
  });
});

// a PDF shown in the page itself (the dossier): rendered on opening the page
document.querySelectorAll('[data-pdf-inline]').forEach((container) => {
  render(container, container.dataset.pdfInline).catch(() => {
    container.querySelector('.pdf-preview-status').textContent = '卷宗无法显示, 请稍后重试或下载PDF';
  });
});
