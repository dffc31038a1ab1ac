// The party's signature, drawn on a <canvas> with pointer events (finger, pen or mouse).
// When the form is submitted with a drawing, the drawing is uploaded first as a PNG (stored as evidence) and the
// form then carries only its id. A retried upload of the same drawing gets the same item back (the server
// deduplicates by SHA-256). Refusing to sign is a checkbox and a text field, so the keyboard reaches it too.
(function () {
  'use strict';

  function setup(fieldset) {
    const canvas = fieldset.querySelector('canvas');
    const pen = canvas.getContext('2d');
    const idInput = fieldset.querySelector('input[type=hidden]');
    const refused = fieldset.querySelector('input[type=checkbox]');
    const status = fieldset.querySelector('.signature-status');
    const saved = fieldset.querySelector('.signature-saved');
    const form = fieldset.closest('form');
    let drawn = false;
    let last = null;

    function blank() {
      pen.fillStyle = '#fff';  // an opaque background: the signature stays legible wherever it is shown
      pen.fillRect(0, 0, canvas.width, canvas.height);
      pen.strokeStyle = '#111';
      pen.fillStyle = '#111';
      pen.lineWidth = 4;
      pen.lineCap = 'round';
      pen.lineJoin = 'round';
    }

    function at(event) {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
    }

    function started() {
      drawn = true;
      idInput.value = '';  // a new drawing replaces one saved before
      if (saved) saved.hidden = true;
      canvas.dataset.drawn = 'true';
    }

    canvas.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = at(event);
      pen.beginPath();
      pen.arc(last[0], last[1], pen.lineWidth / 2, 0, 2 * Math.PI);
      pen.fill();
      started();
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!last) return;
      const next = at(event);
      pen.beginPath();
      pen.moveTo(last[0], last[1]);
      pen.lineTo(next[0], next[1]);
      pen.stroke();
      last = next;
    });
    ['pointerup', 'pointercancel', 'lostpointercapture'].forEach((name) => canvas.addEventListener(name, () => { last = null; }));

    fieldset.querySelector('[data-signature-clear]').addEventListener('click', () => {
      blank();
      drawn = false;
      idInput.value = '';
      if (saved) saved.hidden = true;
      delete canvas.dataset.drawn;
      status.textContent = '已清除';
    });

    form.addEventListener('submit', (event) => {
      if (!drawn || idInput.value || refused.checked) return;  // nothing new to upload
      event.preventDefault();
      status.textContent = '正在保存签名…';
      canvas.toBlob(async (png) => {
        try {
          const response = await fetch(fieldset.dataset.signature, {
            method: 'POST', body: png, credentials: 'same-origin',
            headers: { 'Content-Type': 'image/png', 'X-CSRF-Token': document.body.dataset.csrf, Accept: 'application/json' },
          });
          const answer = await response.json();
          if (!response.ok) { status.textContent = (answer.message || '签名保存失败') + ', 请再次提交'; return; }
          idInput.value = String(answer.evidence_id);
          status.textContent = '签名已保存';
          form.submit();
        } catch (e) {
          status.textContent = '网络中断, 签名未保存, 请再次提交';
        }
      }, 'image/png');
    });
    blank();
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('fieldset[data-signature]').forEach(setup);
  });
})();
