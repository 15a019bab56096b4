// hookport console: the little interaction the pages need. No inline script
// anywhere (the Content-Security-Policy forbids it); everything hooks onto
// data- attributes. Pages work without this file except for the live parts.
'use strict';

function showVerifierFields(select) {
  for (const fieldset of document.querySelectorAll('[data-verifier]')) {
    const chosen = fieldset.getAttribute('data-verifier') === select.value;
    fieldset.hidden = !chosen;
    fieldset.disabled = !chosen;
  }
}

function setUpCopyButtons() {
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const target = document.getElementById(button.getAttribute('data-copy'));
      const text = target ? target.textContent.trim() : '';
      const note = button.nextElementSibling;
      try {
        await navigator.clipboard.writeText(text);
        if (note) note.textContent = 'Copied.';
      } catch {
        if (note) note.textContent = 'Copy failed: select the text and copy it.';
      }
    });
  }
}

function formatSeconds(total) {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes + ':' + String(seconds).padStart(2, '0');
}

function setUpCountdown(element) {
  const endsAt = Date.now() + Number(element.getAttribute('data-seconds-left')) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    element.textContent = left > 0 ? formatSeconds(left) + ' left' : 'ended';
    if (left === 0) clearInterval(timer);
  };
  const timer = setInterval(tick, 1000);
  tick();
}

function setUpDebugLog(list) {
  const url = list.getAttribute('data-poll-url');
  const status = document.getElementById('debug-live');
  let newest = list.getAttribute('data-newest') || '';
  let timer;
  const poll = async () => {
    try {
      const response = await fetch(url + (newest ? '?since=' + encodeURIComponent(newest) : ''), {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error('status ' + response.status);
      const reply = await response.json();
      if (reply.html) {
        // Server-rendered with every partner value escaped (views/partials/debug-entry.hbs).
        list.insertAdjacentHTML('afterbegin', reply.html);
        const empty = document.getElementById('debug-empty');
        if (empty) empty.hidden = true;
      }
      if (reply.newest) newest = reply.newest;
      if (status) status.textContent = reply.active ? 'Live: new requests appear here.' : 'The session has ended.';
      if (!reply.active) clearInterval(timer);
    } catch (error) {
      if (status) status.textContent = 'Could not refresh the log (' + error.message + '); reload the page.';
      clearInterval(timer);
    }
  };
  timer = setInterval(poll, Number(list.getAttribute('data-poll-ms') || 2000));
}

document.addEventListener('DOMContentLoaded', () => {
  const select = document.querySelector('[data-verifier-select]');
  if (select) {
    select.addEventListener('change', () => showVerifierFields(select));
    showVerifierFields(select);
  }
  setUpCopyButtons();
  for (const element of document.querySelectorAll('[data-seconds-left]')) setUpCountdown(element);
  const log = document.querySelector('[data-poll-url]');
  if (log && log.getAttribute('data-active') === 'true') setUpDebugLog(log);
});
