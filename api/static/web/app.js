// zhifa web interface: the few behaviours a server-rendered page cannot have on its own.
// Loaded from 'self' only (CSP script-src 'self'); no inline scripts anywhere.
(function () {
  'use strict';

  function csrf() { return document.body.dataset.csrf; }

  // ---- arrays of objects: add rows from a <template>, remove rows (the server compacts the row numbers) ----
  document.addEventListener('click', (event) => {
    const add = event.target.closest('[data-add-row]');
    if (add) {
      const list = document.getElementById(add.dataset.addRow);
      const template = document.getElementById(add.dataset.addRow + '-template');
      const index = Number(list.dataset.next || 0);
      list.dataset.next = String(index + 1);
      list.insertAdjacentHTML('beforeend', template.innerHTML.split('__i__').join(String(index)));
      const first = list.lastElementChild.querySelector('input, select, textarea');
      if (first) first.focus();
    }
    const remove = event.target.closest('[data-remove-row]');
    if (remove) remove.closest('.row').remove();
  });

  // ---- evidence upload: time and position of the capture, progress, retry on failure ----
  function localNow() {
    const now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }

  function withOffset(local) {
    const minutes = -new Date(local).getTimezoneOffset();
    const sign = minutes >= 0 ? '+' : '-';
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    return local + ':00' + sign + pad(minutes / 60) + ':' + pad(minutes % 60);
  }

  function setupUpload(form) {
    const progress = form.querySelector('progress');
    const status = form.querySelector('.upload-status');
    const fileInput = form.querySelector('input[type=file]');
    fileInput.addEventListener('change', () => {
      const now = form.querySelector('[data-now]');
      if (now) now.value = localNow();
      const gps = form.querySelector('[data-gps]');
      if (gps && navigator.geolocation) {
        navigator.geolocation.getCurrentPosition((pos) => {
          gps.value = pos.coords.latitude.toFixed(6) + ',' + pos.coords.longitude.toFixed(6);
        }, () => {}, { timeout: 5000 });
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData();
      for (const [name, value] of new FormData(form)) {  // the file last: the server streams it
        if (name === 'file' || value === '') continue;
        data.append(name, name === 'collected_at' ? withOffset(value) : value);
      }
      data.append('file', fileInput.files[0]);
      const request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.setRequestHeader('X-CSRF-Token', csrf());
      request.setRequestHeader('Accept', 'application/json');
      progress.hidden = false;
      progress.value = 0;
      status.textContent = '正在上传…';
      request.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        progress.value = (100 * e.loaded) / e.total;
        status.textContent = '正在上传… ' + Math.floor(progress.value) + '%';
      };
      request.onload = () => {
        if (request.status === 201) { status.textContent = '上传成功'; window.location.reload(); return; }
        let message = '上传失败';
        try { message = JSON.parse(request.responseText).message; } catch (e) { /* not JSON */ }
        status.textContent = message + ' (可修改后再次提交)';
      };
      // a retry sends the same file again: the server answers with the item it already made, never a second one
      request.onerror = () => { status.textContent = '网络中断, 上传未完成, 请再次提交(不会重复登记)'; };
      request.send(data);
    });
  }

  // ---- small file forms (the entrustment letter): multipart posts carry the CSRF token in the header ----
  function setupFileForm(form) {
    const status = form.querySelector('[role=status]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.textContent = '正在上传…';
      try {
        const response = await fetch(form.action, {
          method: 'POST', body: new FormData(form), credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf(), Accept: 'application/json' },
        });
        if (response.ok) { window.location.reload(); return; }
        let message = '上传失败';
        try { message = (await response.json()).message; } catch (e) { /* not JSON */ }
        status.textContent = message;
      } catch (e) {
        status.textContent = '网络中断, 上传未完成, 请再次提交';
      }
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('form[data-file-form]').forEach(setupFileForm);
    document.querySelectorAll('#evidence-form').forEach(setupUpload);
    if (window.matchMedia('(max-width: 760px)').matches) {  // on a phone the search box comes first
      document.querySelectorAll('details.more-filters').forEach((el) => {
        el.open = [...el.querySelectorAll('input, select')].some((field) => field.value);  // open while filtering
      });
    }
    document.querySelectorAll('[data-now]').forEach((el) => { if (!el.value) el.value = localNow(); });
  });
})();
