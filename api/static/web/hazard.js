// The grid member's hazard report form: the current position on request, then the form (photos last) with the CSRF header.
(() => {
  'use strict';
  const csrf = () => document.body.dataset.csrf;

  function setup(form) {
    const status = form.querySelector('.upload-status');
    const locate = form.querySelector('[data-locate]');
    const gpsStatus = form.querySelector('[data-gps-status]');
    locate.addEventListener('click', () => {
      if (!navigator.geolocation) { gpsStatus.textContent = '本浏览器不支持定位'; return; }
      gpsStatus.textContent = '正在定位…';
      navigator.geolocation.getCurrentPosition((pos) => {
        form.querySelector('[data-gps-lat]').value = pos.coords.latitude.toFixed(6);
        form.querySelector('[data-gps-lon]').value = pos.coords.longitude.toFixed(6);
        gpsStatus.textContent = '已定位 ' + pos.coords.latitude.toFixed(5) + ', ' + pos.coords.longitude.toFixed(5);
      }, () => { gpsStatus.textContent = '未能定位, 请在地点中写明位置'; }, { timeout: 8000 });
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData();
      const photos = [];
      for (const [name, value] of new FormData(form)) {
        if (name === 'photos') { if (value && value.name) photos.push(value); continue; }
        if (value !== '') data.append(name, value);
      }
      photos.forEach((photo) => data.append('photos', photo));
      const request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.setRequestHeader('X-CSRF-Token', csrf());
      request.setRequestHeader('Accept', 'application/json');
      status.textContent = '正在提交…';
      request.onload = () => {
        if (request.status === 201) { window.location.assign(JSON.parse(request.responseText).url); return; }
        let message = '提交失败';
        try { message = JSON.parse(request.responseText).message; } catch (e) { /* not JSON */ }
        status.textContent = message + ' (可修改后再次提交)';
      };
      request.onerror = () => { status.textContent = '网络中断, 报告未提交, 请再次提交'; };
      request.send(data);
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#hazard-form').forEach(setup);
  });
})();
