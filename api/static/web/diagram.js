// The case's BPMN diagram: completed steps and the current step highlighted, opened on the phase that holds
// a current step (the user's own first). Phases are the model's bpmn:group boxes (named by their categoryValue), zoomed to in the
// viewer: the procedure's steps stay in the lanes that say who may do them.
// Loaded from 'self' only (CSP script-src 'self'); no inline scripts anywhere.
(function () {
  'use strict';

  const MARGIN = 30;  // around a phase's box, in diagram units; its name is drawn just above it
  const GUTTER = 150;  // screen pixels left of a phase for the lanes' names, in a frame at least WIDE wide
  const WIDE = 700;

  function phasesOf(registry) {
    return registry
      .filter((el) => el.type === 'bpmn:Group' && el.businessObject.categoryValueRef)
      .map((el) => ({ name: el.businessObject.categoryValueRef.value, box: el }))
      .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  }

  function holds(box, el) {
    const cx = el.x + el.width / 2;
    const cy = el.y + el.height / 2;
    return cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height;
  }

  // A wide frame shows the whole phase, centred, with a gutter on its left for the lanes' names. A narrow one (a
  // phone) shows the phase's full height and, of its width, the part around `focus` (a current step) to drag on.
  function zoomTo(canvas, box, focus) {
    const size = canvas.getSize();
    const wide = size.width >= WIDE;
    const gutter = wide ? GUTTER : 0;
    const width = box.width + 2 * MARGIN;
    const height = box.height + 2 * MARGIN;
    const scale = wide ? Math.min((size.width - gutter) / width, size.height / height) : size.height / height;
    const shown = { width: size.width / scale, height: size.height / scale };
    let x = box.x - MARGIN - gutter / scale - (shown.width - width - gutter / scale) / 2;
    if (!wide) {
      const centre = focus ? focus.x + focus.width / 2 : box.x - MARGIN + shown.width / 2;
      x = Math.max(box.x - MARGIN, Math.min(centre - shown.width / 2, box.x + box.width + MARGIN - shown.width));
    }
    canvas.viewbox({ x, y: box.y - MARGIN - (shown.height - height) / 2, ...shown });
    return wide;
  }

  // the lanes' own names are far to the left of most phases: each is shown again in the gutter, by its lane
  function nameLanes(viewer, phase) {
    const overlays = viewer.get('overlays');
    overlays.remove({ type: 'lane-name' });
    if (!phase) return;
    viewer.get('elementRegistry').filter((el) => el.type === 'bpmn:Lane').forEach((lane) => {
      const name = document.createElement('span');
      name.className = 'lane-name';
      name.textContent = lane.businessObject.name || '';
      overlays.add(lane.id, 'lane-name', {
        position: { top: 4, left: phase.box.x - MARGIN - lane.x }, scale: false, html: name,
      });
    });
  }

  function phaseBar(bar, viewer, container, phases, current, now) {
    const canvas = viewer.get('canvas');
    const label = container.getAttribute('aria-label');
    const buttons = [];
    const open = (index) => {
      const phase = phases[index];
      const wide = phase ? zoomTo(canvas, phase.box, current.find((el) => holds(phase.box, el))) : false;
      if (!phase) canvas.zoom('fit-viewport', 'auto');
      nameLanes(viewer, wide ? phase : null);
      buttons.forEach((button, i) => button.setAttribute('aria-pressed', String(i === index)));
      container.setAttribute('aria-label', label + ', 显示' + (phase ? '「' + phase.name + '」阶段' : '全图'));
      container.dataset.phase = phase ? phase.name : '全图';
    };
    phases.concat([null]).forEach((phase, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = phase ? phase.name : '全图';
      if (index === now) {
        button.classList.add('holds-current');
        button.title = '当前环节所在阶段';
      }
      button.addEventListener('click', () => open(index));
      buttons.push(button);
      bar.appendChild(button);
    });
    bar.hidden = false;  // the frame grows with the bar (site.css)
    canvas.resized();
    return open;
  }

  async function showDiagram(container) {
    if (!window.BpmnJS) return;
    const viewer = new window.BpmnJS({ container });
    const response = await fetch(container.dataset.src, { credentials: 'same-origin' });
    await viewer.importXML(await response.text());
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const marked = (ids, cls) => ids.split(' ').map((id) => registry.get(id)).filter(Boolean).map((el) => {
      canvas.addMarker(el, cls);
      return el;
    });
    marked(container.dataset.completed, 'done');
    const current = marked(container.dataset.current, 'current');
    const phases = phasesOf(registry);
    const bar = document.querySelector('[data-phase-bar]');
    if (phases.length && bar) {
      const ids = container.dataset.mine.split(' ');
      const mine = current.filter((el) => ids.includes(el.id));
      const holding = (steps) => phases.map((phase) => steps.some((el) => holds(phase.box, el)));
      // the phase of a step this user may do, else the furthest one a step is open in (side steps lag behind)
      const own = holding(mine).indexOf(true);
      const now = own >= 0 ? own : holding(current).lastIndexOf(true);
      const ordered = mine.concat(current.filter((el) => !mine.includes(el)));
      phaseBar(bar, viewer, container, phases, ordered, now)(now >= 0 ? now : phases.length);
    } else {
      canvas.zoom('fit-viewport');
    }
    container.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#diagram[data-src]').forEach((el) => {
      showDiagram(el).catch(() => { el.textContent = '流程图无法显示'; });
    });
  });
})();
